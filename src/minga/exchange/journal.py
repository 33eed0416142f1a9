"""Exporting the journal to a file anyone can check, and checking a journal.

The export is JSON Lines: a header (format, the server's public key), then every entry
with its hash, every signed block, and the accounts' balances as stored. ``verify`` runs
the same checks on this server's database or on such a file from any server.
"""

from __future__ import annotations

import base64
import json
import multiprocessing
import os
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, replace
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import connection, transaction

from minga.common import signing
from minga.core.ledger import (
    AccountState,
    JournalEntry,
    TransferKind,
    VerificationReport,
    verify_journal,
)
from minga.core.ledger.chain import GENESIS_HASH
from minga.core.ledger.verify import (
    Block,
    EntryRow,
    JournalReplay,
    replay_range,
    verify_journal_in_ranges,
    verify_journal_rows,
)

from .journal_store import iso_utc, quoted_column
from .models import Account, ChainBlock, Transfer, Unit

FORMAT = "minga-ledger-journal/1"


# Entries read a page at a time by their sequence (the unique index): memory stays flat on
# SQLite and PostgreSQL alike, without a server-side cursor.
PAGE = 20_000


def database_rows(after: int = -1, through: int | None = None) -> Iterator[EntryRow]:
    """Every journal entry as an :data:`EntryRow`, in sequence order (only those with a
    sequence above ``after`` and, if given, up to ``through``).

    Read with the database cursor, not through model objects: a million entries took over a
    minute to build as models (three joined rows each, every date and UUID converted), far
    more than hashing them. Values come out exactly as the journal writes them (UUIDs in
    canonical text, dates by :func:`iso_utc`); the test of ``verify`` against the written
    entries checks that.
    """
    accounts = {pk: str(value) for pk, value in Account.objects.values_list("pk", "uuid")}
    units = dict(Unit.objects.values_list("pk", "code"))
    quote = connection.ops.quote_name
    person = Transfer._meta.get_field("submitted_by").related_model._meta
    transfers, people = quote(Transfer._meta.db_table), quote(person.db_table)

    column = quoted_column
    key, person_key = column("id"), column("id", person)
    person_uuid = column("uuid", person)
    if connection.vendor == "postgresql":
        person_uuid = f"CAST(s.{person_uuid} AS TEXT)"
    else:
        person_uuid = f"s.{person_uuid}"

    def moment_column(name: str) -> str:
        # SQLite's driver would parse every date into a datetime (Django asks it to convert
        # columns declared as dates); as text, each distinct moment is converted once.
        if connection.vendor == "sqlite":
            return f"CAST(t.{column(name)} AS TEXT)"
        return f"t.{column(name)}"

    def uuid_column(table: str, name: str = "uuid") -> str:
        # PostgreSQL's driver would build a UUID object a value; its text is already the
        # canonical form (lower case, with dashes). SQLite stores the 32 hex digits.
        if connection.vendor == "postgresql":
            return f"CAST({table}.{column(name)} AS TEXT)"
        return f"{table}.{column(name)}"

    sequence = column("sequence")
    # Only names from the models' own metadata go into the text; values are parameters.
    query = (
        f"SELECT t.{sequence}, {uuid_column('t')}, t.{column('kind')}, t.{column('debit')}, "  # noqa: S608
        f"t.{column('credit')}, t.{column('unit')}, t.{column('amount')}, {uuid_column('p')}, "
        f"{uuid_column('r')}, {uuid_column('t', 'batch')}, t.{column('memo')}, "
        f"{moment_column('created_at')}, {moment_column('expires_at')}, "
        f"{person_uuid}, t.{column('access_token')}, "
        f"t.{column('hash')} FROM {transfers} t "
        f"LEFT JOIN {transfers} p ON p.{key} = t.{column('pending')} "
        f"LEFT JOIN {transfers} r ON r.{key} = t.{column('reverses')} "
        f"LEFT JOIN {people} s ON s.{person_key} = t.{column('submitted_by')} "
        f"WHERE t.{sequence} > %s{'' if through is None else f' AND t.{sequence} <= %s'} "
        f"ORDER BY t.{sequence} LIMIT %s"
    )
    bound = [] if through is None else [through]
    # A batch's entries share their batch, moment and submitter: each converted once (the
    # dictionaries are read inline, a function call a field costs a tenth of the whole).
    moments: dict[Any, str] = {}
    batches: dict[Any, str] = {}
    moment = _memo(_moment_text(), moments)
    uuid_text = _memo(_uuid_text, batches)
    last = after
    with connection.cursor() as cursor:
        while True:
            cursor.execute(query, [last, *bound, PAGE])
            page = cursor.fetchall()
            for (
                number, entry_id, kind, debit, credit, unit, amount, pending_id, reverses_id,
                batch, memo, created_at, expires_at, submitted_by, access_token, stored_hash,
            ) in page:  # fmt: skip
                yield (
                    number,
                    _uuid_text(entry_id),
                    kind,
                    accounts[debit],
                    accounts[credit],
                    units[unit],
                    amount,
                    None if pending_id is None else _uuid_text(pending_id),
                    None if reverses_id is None else _uuid_text(reverses_id),
                    batches.get(batch) or uuid_text(batch),
                    memo,
                    moments.get(created_at) or moment(created_at),
                    None if expires_at is None else moment(expires_at),
                    None
                    if submitted_by is None
                    else (batches.get(submitted_by) or uuid_text(submitted_by)),
                    access_token,
                    stored_hash,
                )
            if len(page) < PAGE:
                return
            last = page[-1][0]


def _uuid_text(value: Any) -> str:
    """A UUID column's value (text on SQLite, a UUID on PostgreSQL) as its canonical text."""
    if type(value) is str and len(value) == 36:
        return value  # PostgreSQL's text of a UUID column: its canonical form
    if type(value) is str and len(value) == 32:
        # As Django writes it on SQLite: the 32 lower-case hex digits, which only need their
        # dashes. Any other text put there by hand comes out as it is, and so no longer
        # hashes as the entry did.
        return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"
    return str(value if isinstance(value, uuid.UUID) else uuid.UUID(value))


def _memo(
    function: Callable[[Any], str], known: dict[Any, str], size: int = 100_000
) -> Callable[[Any], str]:
    def remembered(value: Any) -> str:
        text = known.get(value)
        if text is None:
            if len(known) >= size:
                known.clear()
            text = known[value] = function(value)
        return text

    return remembered


def _moment_text() -> Callable[[Any], str]:
    """A date column's raw value as the journal writes it, converted as Django converts it
    (SQLite gives text, PostgreSQL an aware datetime); a batch's entries share one moment,
    so each distinct value is converted once."""
    convert = getattr(connection.ops, "convert_datetimefield_value", None)

    def text(value: Any) -> str:
        if convert is not None and not isinstance(value, datetime):
            value = convert(value, None, connection)
        return iso_utc(value)

    return text


def database_entries() -> Iterator[tuple[JournalEntry, str]]:
    for row in database_rows():
        entry = JournalEntry(*row[:15])  # type: ignore[arg-type]  # the kind, just below
        yield replace(entry, kind=TransferKind(entry.kind)), row[15]


def database_blocks() -> Iterator[Block]:
    for block in ChainBlock.objects.order_by("number").iterator(chunk_size=5000):
        yield Block(
            block.number,
            block.first_sequence,
            block.last_sequence,
            block.last_hash,
            bytes(block.signature),
            block.key_id,
        )


def database_accounts() -> Iterator[AccountState]:
    for account in Account.objects.select_related("unit").iterator(chunk_size=5000):
        yield AccountState(
            id=str(account.uuid),
            unit=account.unit.code,
            lowest_balance=account.lowest_balance,
            highest_balance=account.highest_balance,
            frozen=account.frozen,
            balance=account.balance,
            pending_debits=account.pending_debits,
            pending_credits=account.pending_credits,
        )


def verify_database(workers: int = 1) -> VerificationReport:
    """Check this server's journal, blocks and balances; each block with the key it names
    (the current key, or one rotated out with ``minga ledger rotate-key``).

    With one worker, read in one transaction, so that entries, blocks and balances are one
    moment's (a snapshot on SQLite; on PostgreSQL each page is read as of its own
    statement). With more, the journal is cut into that many ranges of sequence, checked
    side by side in forked processes (see :func:`_verify_in_ranges`); the report is the
    same. Inside a transaction the check stays in this process: others could not see what
    it has not committed.
    """
    if workers > 1 and not connection.in_atomic_block and _can_fork():
        return _verify_in_ranges(workers)
    with transaction.atomic():
        return verify_journal_rows(
            database_rows(),
            database_blocks(),
            database_accounts(),
            signing.SignatureVerifier(signing.known_public_keys()),
        )


def default_workers() -> int:
    """The processes ``minga ledger verify`` uses: this machine's cores, at most
    :data:`MOST_WORKERS`."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MOST_WORKERS))


# Each worker reads the accounts and ships its range's sets back: past a few cores the
# merge, not the reading, would grow.
MOST_WORKERS = 8


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _verify_in_ranges(workers: int) -> VerificationReport:
    """The journal checked in ``workers`` ranges of sequence at once: this process takes the
    first, forked processes the others, each on its own connection; then the ranges are
    absorbed in order (:func:`minga.core.ledger.verify.verify_journal_in_ranges`).

    Every process must check the same journal. The last sequence, the blocks and the
    balances are read first, in one transaction (a snapshot; REPEATABLE READ on
    PostgreSQL), and the ranges end at that sequence. The journal up to it cannot change
    afterwards: entries are only ever appended (``Transfer`` rows are never updated or
    deleted, and every key to them is PROTECT), and writers append one at a time under the
    chain head's row lock, so a transaction that sees sequence N has seen every entry
    before it. Later entries, and the balances they change, are simply not in this check.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        last = (
            Transfer.objects.filter(sequence__gt=-1)
            .order_by("-sequence")
            .values_list("sequence", flat=True)
            .first()
        )
        blocks = list(database_blocks())
        accounts = list(database_accounts())
        signature_is_valid = signing.SignatureVerifier(signing.known_public_keys())
    if last is None:
        return verify_journal_rows([], blocks, accounts, signature_is_valid)
    # A forked process must not share this process's connection (both would talk on one
    # socket or one SQLite handle): close it, and each side opens its own.
    connection.close()
    cuts = [-1 + (last + 1) * part // workers for part in range(workers + 1)]
    block_ends = frozenset(block.last_sequence for block in blocks)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers - 1, mp_context=context) as pool:
        later = [
            pool.submit(_replay_range, cuts[part], cuts[part + 1], block_ends, part + 1 < workers)
            for part in range(1, workers)
        ]
        first = _replay_range(cuts[0], cuts[1], block_ends, True)
        ranges = [first, *(future.result() for future in later)]

    def rest_of_journal(index: int) -> tuple[Iterator[EntryRow], str, int]:
        previous, expected_sequence = _entry_before(cuts[index])
        return database_rows(cuts[index], last), previous, expected_sequence

    return verify_journal_in_ranges(ranges, rest_of_journal, blocks, accounts, signature_is_valid)


def _replay_range(
    after: int, through: int, block_ends: frozenset[int], keep_posted: bool
) -> JournalReplay | None:
    """Replay the entries after ``after`` up to ``through`` (run in a worker process)."""
    try:
        previous, expected_sequence = _entry_before(after)
        return replay_range(
            database_rows(after, through),
            block_ends,
            previous,
            expected_sequence,
            keep_posted=keep_posted,
        )
    finally:
        connection.close()


def _entry_before(after: int) -> tuple[str, int]:
    """The stored hash of the last entry a range starting after ``after`` follows, and that
    entry's sequence plus one; the genesis hash and 1 when there is none. (Entries below
    sequence 0 are never read, as :func:`database_rows` reads none.)"""
    row = (
        Transfer.objects.filter(sequence__gt=-1, sequence__lte=after)
        .order_by("-sequence")
        .values_list("hash", "sequence")
        .first()
    )
    if row is None:
        return GENESIS_HASH, 1
    return row[0], row[1] + 1


def export(stream: IO[str]) -> int:
    raw = signing.public_key_bytes()
    header = {
        "format": FORMAT,
        "server": settings.SITE_URL,
        "public_key": base64.b64encode(raw).decode(),
        "key_id": signing.key_id(raw),
        # Every key the blocks may be signed with: the current one and those rotated out.
        "public_keys": [base64.b64encode(key).decode() for key in signing.known_public_keys()],
        "signature_algorithm": "Ed25519",
        "hash": "SHA-256 over previous-hash, newline, canonical JSON entry",
    }
    stream.write(json.dumps({"header": header}, sort_keys=True) + "\n")
    count = 0
    for entry, entry_hash in database_entries():
        stream.write(
            json.dumps(
                {"entry": _jsonable(asdict(entry)), "hash": entry_hash},
                sort_keys=True,
                ensure_ascii=False,
            )
            + "\n"
        )
        count += 1
    for block in database_blocks():
        record = {
            "number": block.number,
            "first_sequence": block.first_sequence,
            "last_sequence": block.last_sequence,
            "last_hash": block.last_hash,
            "signature": base64.b64encode(block.signature).decode(),
            "key_id": block.key_id,
        }
        stream.write(json.dumps({"block": record}, sort_keys=True) + "\n")
    for account in database_accounts():
        stream.write(json.dumps({"account": asdict(account)}, sort_keys=True) + "\n")
    return count


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {
        key: str(value) if isinstance(value, TransferKind) else value
        for key, value in values.items()
    }


class JournalFileError(Exception):
    pass


def verify_file(path: Path, trusted_public_keys: list[bytes] | None = None) -> VerificationReport:
    """Check an exported journal. With ``trusted_public_keys`` every block must be signed by
    one of those keys; otherwise by the keys the file names (integrity, not origin)."""
    entries: list[tuple[JournalEntry, str]] = []
    blocks: list[Block] = []
    accounts: list[AccountState] = []
    header: dict[str, Any] | None = None
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                record = json.loads(line)
                if "header" in record:
                    header = record["header"]
                elif "entry" in record:
                    values = record["entry"]
                    values["kind"] = TransferKind(values["kind"])
                    entries.append((JournalEntry(**values), record["hash"]))
                elif "block" in record:
                    values = record["block"]
                    blocks.append(
                        Block(
                            values["number"],
                            values["first_sequence"],
                            values["last_sequence"],
                            values["last_hash"],
                            base64.b64decode(values["signature"]),
                            values.get("key_id", ""),
                        )
                    )
                elif "account" in record:
                    accounts.append(AccountState(**record["account"]))
                else:
                    raise ValueError("unknown record")
            except (ValueError, TypeError, KeyError) as error:
                raise JournalFileError(
                    f"{path}: line {number}: not a journal record ({error})"
                ) from None
    if header is None or header.get("format") != FORMAT:
        raise JournalFileError(f"{path}: line 1: missing header of format {FORMAT}")
    named = header.get("public_keys") or [header["public_key"]]
    public_keys = trusted_public_keys or [base64.b64decode(key) for key in named]
    return verify_journal(entries, blocks, accounts, signing.SignatureVerifier(public_keys))
