"""The marketplace: offers and needs of organizations, and suggestions that match them.

May import ``minga.common``, ``minga.people`` and the registry's services and selectors.
"""
