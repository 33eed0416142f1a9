"""The communication network: bulletins in several languages, community radio, campaigns,
days of mobilization and events, the shared calendar and its map, feeds, email digests.

Organizations publish bulletins (reviewed by their editors, scheduled, translated by
volunteers), radio programmes (podcasts), campaigns and events; public ones travel to the
organizations' followers on other servers through ``minga.federation``, and what followed
organizations elsewhere publish arrives here, attributed to them.

It imports ``common``, ``people``, the registry's and federation's services, selectors and
types (and federation's ``hooks`` to receive content); nothing imports it but the site.
"""
