"""The platform's own client ids in the ledger: agreements', clearing rounds', expiries' and
the solidarity funds' (``fund:``).

The ledger (``services.ledger.transfers_submit``) refuses these namespaces, in any field, to
every caller without the platform's capability, so no one can pre-empt, resolve or reverse
the entries the platform's services own. The ids themselves are unguessable.
"""

from __future__ import annotations

import secrets
import uuid

from django.utils.crypto import salted_hmac

SYSTEM_CLIENT_ID_PREFIXES = ("agr:", "clr:", "expire:", "fund:", "seeds:")


def new_platform_client_id(prefix: str) -> str:
    """A fresh client id in one of the platform's namespaces, with 128 random bits."""
    if prefix not in SYSTEM_CLIENT_ID_PREFIXES:
        raise ValueError(f"{prefix!r} is not a platform namespace")
    return prefix + secrets.token_hex(16)


def reserved_field_of(client_id: str, pending: str | None, reverses: str | None) -> str | None:
    """The field of a transfer that names a platform client id, if any."""
    for name, value in (("client_id", client_id), ("pending", pending), ("reverses", reverses)):
        if value and value.startswith(SYSTEM_CLIENT_ID_PREFIXES):
            return name
    return None


def expiry_client_id(reservation_uuid: uuid.UUID) -> str:
    """The client id of a reservation's expiry: the same on every retry, and unguessable.

    Journal entries are never updated, so it cannot be stored on the reservation like the
    agreements' and clearing rounds' ids; it is a keyed digest of the reservation instead.
    """
    digest = salted_hmac("minga.exchange.expiry", str(reservation_uuid), algorithm="sha256")
    return "expire:" + digest.hexdigest()[:40]
