"""The journal's hashes do not change when the ledger's code does.

A small journal of every kind of entry is written with the clock and every identifier
fixed; its hashes were computed by the ledger before its write path was rewritten for
speed (commit 61c4a1b), and any later code must produce exactly the same chain. An export
written by that code is kept too: ``verify`` must go on accepting it.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from minga.common.permissions import SYSTEM
from minga.core.ledger import TransferKind
from minga.exchange import journal, services
from minga.exchange.models import Account, ChainBlock, Transfer
from tests.exchange.ledger_helpers import unit_with_accounts

DATA = Path(__file__).parent / "data"
START = datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)
ACCOUNTS = [uuid.UUID(f"00000000-0000-4000-8000-00000000000{n}") for n in range(1, 4)]

# Computed by the ledger at commit 61c4a1b, before its write path changed.
PINNED = [
    (1, "posted", "8f422fc22af40badd2730cfc6789dc3b77f7410ff16710e0123319498397837d"),
    (2, "posted", "25ee821a47ebcc634f9b8463601468ac1e623878704a743faccbac1ce0416da5"),
    (3, "pending", "3415f8fc523eb8e73dc20b91be543a3ad04822ec0cfba888262b591859d184e1"),
    (4, "pending", "910d018301fd9ca1417ac14d29309d0fdcdc4efd20a5fb7591bac309a40b15c2"),
    (5, "pending", "c2f9a35fb6389e56dbf81104e7aa942a669333838a00643976e5146d349e022b"),
    (6, "post_pending", "9c897127b7e35ab614ef7909d9750ac66271458900dbc2ac7d9ffbd5ada88019"),
    (7, "void_pending", "7eb4ec3475561ab3c881aeb010a9cbc0faa3cb11388a01c1cb3b5319fa9878f4"),
    (8, "posted", "f526340ba4a4381bb2b933426e205235c0bb576136932b1d409a38715aca300c"),
    (9, "expire_pending", "0065b96475c56e68909777d16612906911591d29c2923c1ba5249e6fa8fedc62"),
    (10, "pending", "55c1be02012c492280a3c63f7c83c74103da3d321bab07ccb084bde784ea76f8"),
    (11, "post_pending", "dac19c00bd0471105d28757bc5d96fac430a16c709f054d5f2b176f2437bcf6c"),
]


def _fixed_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    counter = iter(range(1, 10_000))
    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=(0x4 << 76) | next(counter)))


def _write_journal() -> None:
    _unit, accounts = unit_with_accounts(3, code="PIN")
    for account, fixed in zip(accounts, ACCOUNTS, strict=True):
        Account.objects.filter(pk=account.pk).update(uuid=fixed)
    a, b, c = (str(value) for value in ACCOUNTS)

    def item(client_id: str, **values: object) -> services.TransferInput:
        return services.TransferInput(client_id=client_id, **values)  # type: ignore[arg-type]

    def batch(at: datetime, *inputs: services.TransferInput, linked: bool = False) -> None:
        outcome = services.transfers_submit(
            actor=SYSTEM, inputs=list(inputs), linked=linked, at=at, platform=services.PLATFORM
        )
        assert outcome.all_applied, [o.message for o in outcome.outcomes]

    batch(
        START,
        item("p-1", debit=a, credit=b, unit="PIN", amount=2_500, memo="maíz · 25 kg"),
        item("p-2", debit=b, credit=c, unit="PIN", amount=1_000),
    )
    batch(
        START + timedelta(seconds=1),
        item("r-1", kind=TransferKind.PENDING, debit=c, credit=a, unit="PIN", amount=700),
        item(
            "r-2",
            kind=TransferKind.PENDING,
            debit=a,
            credit=c,
            unit="PIN",
            amount=300,
            timeout_seconds=60,
        ),
        item("r-3", kind=TransferKind.PENDING, debit=b, credit=a, unit="PIN", amount=50),
        linked=True,
    )
    batch(
        START + timedelta(seconds=2),
        item("r-1:post", kind=TransferKind.POST_PENDING, pending="r-1", amount=400),
        item("r-3:void", kind=TransferKind.VOID_PENDING, pending="r-3"),
        item("x-1", debit=b, credit=a, unit="PIN", amount=2_500, reverses="p-1"),
    )
    batch(
        START + timedelta(seconds=120),
        item("expire:r-2", kind=TransferKind.EXPIRE_PENDING, pending="r-2"),
        item("s-1", kind=TransferKind.PENDING, debit=a, credit=b, unit="PIN", amount=10),
        item("s-1:post", kind=TransferKind.POST_PENDING, pending="s-1"),
    )


def test_the_chain_of_a_fixed_journal_is_pinned(db: None, monkeypatch) -> None:
    """With the clock and identifiers fixed, every entry's hash is the one pinned."""
    _fixed_ids(monkeypatch)
    _write_journal()
    chain = list(Transfer.objects.order_by("sequence").values_list("sequence", "kind", "hash"))
    assert chain == PINNED
    assert list(ChainBlock.objects.values_list("last_hash", flat=True)) == [
        PINNED[1][2],
        PINNED[4][2],
        PINNED[7][2],
        PINNED[10][2],
    ]
    report = journal.verify_database()
    assert report.ok, report.problems


def test_an_export_written_by_earlier_code_still_verifies(db: None) -> None:
    """An export from before submitters were recorded verifies, and so do its signatures."""
    report = journal.verify_file(DATA / "journal-61c4a1b.jsonl")
    assert report.ok, report.problems
    assert (report.entries, report.blocks, report.accounts) == (11, 4, 3)
