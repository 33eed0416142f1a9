"""Settings: ``base`` for everything, ``test`` and ``production`` on top of it."""
