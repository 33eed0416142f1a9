"""Permission rules of the shared foundations (see ``minga.common.permissions``)."""

from __future__ import annotations

from typing import Any

from .permissions import rule


@rule("common.vocabulary.import")
def can_import_vocabulary(user: Any, _obj: Any = None) -> bool:
    """Vocabularies are shared by every organization: the server's operator (the command line)
    and its administrators change them."""
    return False
