"""The library: projects, plans, agrifood formulas, ancestral knowledge and recordings
collected from the communes and movements, under each community's access protocols.

May import ``minga.core`` (formulas, version differences), ``minga.common`` and the
registry's and people's ``selectors``/``services``; never another app's models.
"""
