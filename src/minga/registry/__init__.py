"""The registry of the confederation: organizations, their relations, people's roles, delegates.

May import ``minga.common`` and ``minga.people`` (services and selectors only). Later domain
apps use this app through ``services`` and ``selectors``, never its models' internals.
"""
