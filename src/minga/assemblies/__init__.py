"""Assemblies: bodies and their rules, meetings, proposals and amendments, votes,
delegation, resolutions and declarations, and the follow-up of agreements.

May import ``minga.core.tally``, ``minga.common``, ``minga.people`` and the registry's
services and selectors.
"""
