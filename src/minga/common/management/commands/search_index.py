"""``minga search_index``: the same as ``minga reindex`` (its older name)."""

from .reindex import Command as ReindexCommand


class Command(ReindexCommand):
    pass
