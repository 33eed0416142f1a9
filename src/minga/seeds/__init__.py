"""The seed bank registry: community seed banks, their accessions (MCPD v2.1 passport data plus
what community seeds need), lots, germination tests, predicted viability, regeneration and
seed requests between communes.

May import ``minga.core`` (the viability equation and MCPD validation), ``minga.common`` and
the registry's selectors; never another app's models.
"""
