"""People: accounts, profiles, two-factor authentication and personal access tokens.

May import ``minga.common``. Roles in organizations belong to the registry, not here.
"""
