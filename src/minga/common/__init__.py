"""Shared foundations every domain app uses.

Visibility and permissions, base models with stable identity, the audit log, Markdown
sanitizing and the embedded search index. May import ``minga.core`` and Django, never a
domain app (``registry``, ``people`` …): domain apps plug into it at start-up instead.
"""
