"""Reading and writing the journal's rows for :mod:`.services.ledger`, without model objects.

A batch of thousands of transfers is the ledger's everyday work, and Django's model
machinery (instances, ``bulk_create``) costs more than the ledger's own rules, chain and
signature together. What a batch needs is read as plain values, and its rows are written
with prepared statements whose text comes only from the models' own metadata (values are
always parameters). The database's constraints and PostgreSQL's deferred zero-sum trigger
check these writes exactly as they check any other.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple

from django.db import connection

from minga.core.ledger import AccountState, PendingState, TransferKind

from .models import Account, Transfer


class AccountRow(NamedTuple):
    """An account a batch touches: its key, its organization's, and its figures when the
    batch began."""

    pk: int
    unit_id: int
    organization_id: int
    balance: int
    pending_debits: int
    pending_credits: int
    designated: bool = False  # held for a purpose: only its owning service debits it


class PendingRow(NamedTuple):
    """A reservation named by a batch (by its client id)."""

    pk: int
    state: PendingState


class OriginalRow(NamedTuple):
    """A transfer a batch asks to reverse: its key and UUID, and whether it may be."""

    pk: int
    uuid: str
    reversible: tuple[str, str, str, int] | None  # debit, credit, unit, amount
    reversed: bool


def existing_entries(client_ids: Iterable[str]) -> dict[str, tuple[int, str]]:
    """Client id → (key, request digest) of entries already in the journal.

    Read with the cursor, as values: the client ids of a batch go in as one array on
    PostgreSQL (the ORM would quote thousands of parameters one by one in Python), and in
    lists under every database's limit elsewhere."""
    wanted = list(client_ids)
    if not wanted:
        return {}
    table = connection.ops.quote_name(Transfer._meta.db_table)
    client_id = quoted_column("client_id")
    selected = f"{client_id}, {quoted_column('id')}, {quoted_column('request_digest')}"
    # Only names from the model's own metadata go into the text; values are parameters.
    select = f"SELECT {selected} FROM {table} WHERE {client_id} "  # noqa: S608
    found = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(select + "= ANY(%s::text[])", [wanted])
            rows = cursor.fetchall()
        else:
            rows = []
            for start in range(0, len(wanted), _IN_CHUNK):
                chunk = wanted[start : start + _IN_CHUNK]
                cursor.execute(select + f"IN ({', '.join(['%s'] * len(chunk))})", chunk)
                rows.extend(cursor.fetchall())
    for key, pk, digest in rows:
        found[key] = (pk, digest)
    return found


def quoted_column(name: str, meta: Any = Transfer._meta) -> str:
    """A column's name as the database quotes it, from the model's metadata (the journal's
    unless another model's ``_meta`` is given)."""
    field: Any = meta.get_field(name)
    return connection.ops.quote_name(field.column)


def iso_utc(moment: datetime) -> str:
    """A moment as the journal writes it: ISO 8601 in UTC with microseconds."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def reservations(client_ids: set[str]) -> dict[str, PendingRow]:
    """The reservations (pending entries) with these client ids, with their state."""
    if not client_ids:
        return {}
    rows = Transfer.objects.filter(client_id__in=client_ids, kind=TransferKind.PENDING)
    found = {}
    for client_id, pk, key, debit, credit, unit, amount, expires_at, resolution in rows.values_list(
        "client_id",
        "pk",
        "uuid",
        "debit__uuid",
        "credit__uuid",
        "unit__code",
        "amount",
        "expires_at",
        "resolution__id",
    ):
        found[client_id] = PendingRow(
            pk,
            PendingState(
                id=str(key),
                debit=str(debit),
                credit=str(credit),
                unit=unit,
                amount=amount,
                expires_at=iso_utc(expires_at) if expires_at is not None else None,
                resolved=resolution is not None,
            ),
        )
    return found


def originals(client_ids: set[str]) -> dict[str, OriginalRow]:
    """The transfers with these client ids that a batch asks to reverse."""
    if not client_ids:
        return {}
    rows = Transfer.objects.filter(client_id__in=client_ids).values_list(
        "client_id",
        "pk",
        "uuid",
        "kind",
        "reverses_id",
        "debit__uuid",
        "credit__uuid",
        "unit__code",
        "amount",
        "reversal__id",
    )
    found = {}
    for client_id, pk, key, kind, reverses, debit, credit, unit, amount, reversal in rows:
        # A reversal is final: it cannot itself be reversed.
        movable = kind in (TransferKind.POSTED, TransferKind.POST_PENDING) and reverses is None
        found[client_id] = OriginalRow(
            pk,
            str(key),
            (str(debit), str(credit), unit, amount) if movable else None,
            reversal is not None,
        )
    return found


def lock_accounts(uuids: Iterable[str]) -> tuple[dict[str, AccountState], dict[str, AccountRow]]:
    """Lock the accounts with these UUIDs (in key order, so writers never deadlock) and
    read them as the rules' states and as rows to compare against when storing.

    One prepared query over the account and unit tables; UUIDs go in and come out as text
    (a batch names thousands, and ``uuid.UUID`` objects both ways cost more than the query).
    On PostgreSQL the UUIDs go in as one array (one parameter, one round trip).
    """
    native = connection.features.has_native_uuid_field
    as_parameter, as_text = (canonical_uuid, str) if native else (uuid_parameter(), uuid_text())
    keys = []
    for value in uuids:
        try:
            keys.append(as_parameter(value))
        except ValueError:
            continue  # an unknown account: the rules refuse the transfer that names it
    states: dict[str, AccountState] = {}
    accounts: dict[str, AccountRow] = {}
    if not keys:
        return states, accounts
    chunks: list[list[Any]]
    if native:
        chunks, statement = [[keys]], _lock_statement(0)
    else:
        chunks = [keys[start : start + _IN_CHUNK] for start in range(0, len(keys), _IN_CHUNK)]
        statement = ""
    with connection.cursor() as cursor:
        for chunk in chunks:
            cursor.execute(statement or _lock_statement(len(chunk)), chunk)
            for row in cursor.fetchall():
                (pk, key, unit_id, unit, org, lowest, highest, frozen, balance, debits, credits) = (
                    row[:11]
                )
                name = as_text(key)
                states[name] = AccountState(
                    name, unit, lowest, highest, bool(frozen), balance, debits, credits
                )
                accounts[name] = AccountRow(
                    pk, unit_id, org, balance, debits, credits, bool(row[11])
                )
    return states, accounts


def canonical_uuid(text: str) -> str:
    """A UUID's canonical text (lower-case, with hyphens); ValueError if it is not one."""
    if len(text) == 36 and _CANONICAL.fullmatch(text):
        return text
    return str(uuid.UUID(text))


_IN_CHUNK = 900  # parameters in one IN (…): under every database's limit


def _lock_statement(count: int) -> str:
    """The locking read of ``count`` accounts by UUID; with 0, of an array of UUIDs given as
    text, read back as text (PostgreSQL)."""
    quote = connection.ops.quote_name
    account, unit = Account._meta, Account._meta.get_field("unit").related_model._meta

    def column(meta: Any, name: str) -> str:
        return f"{quote(meta.db_table)}.{quote(meta.get_field(name).column)}"

    selected = ", ".join(
        [
            column(account, "id"),
            column(account, "uuid") + ("::text" if count == 0 else ""),
            column(account, "unit"),
            column(unit, "code"),
            column(account, "organization"),
            *(
                column(account, name)
                for name in (
                    "lowest_balance",
                    "highest_balance",
                    "frozen",
                    "balance",
                    "pending_debits",
                    "pending_credits",
                    "purpose",
                )
            ),
        ]
    )
    lock = ""
    if connection.features.has_select_for_update:
        lock = " FOR UPDATE"
        if connection.features.has_select_for_update_of:
            lock += f" OF {quote(account.db_table)}"
    wanted = f"IN ({', '.join(['%s'] * count)})" if count else "= ANY(%s::uuid[])"
    # Only names from the models' own metadata go into the text; values are parameters.
    return (
        f"SELECT {selected} FROM {quote(account.db_table)} "  # noqa: S608
        f"INNER JOIN {quote(unit.db_table)} ON {column(account, 'unit')} = {column(unit, 'id')} "
        f"WHERE {column(account, 'uuid')} {wanted} "
        f"ORDER BY {column(account, 'id')}{lock}"
    )


# --- Writing ---------------------------------------------------------------------------------

TRANSFER_COLUMNS = (
    "sequence",
    "uuid",
    "client_id",
    "request_digest",
    "kind",
    "debit",
    "credit",
    "unit",
    "amount",
    "pending",
    "reverses",
    "batch",
    "memo",
    "created_at",
    "expires_at",
    "hash",
    "submitted_by",
    "access_token",
)


def _insert_statement(model: Any, names: Sequence[str]) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in names)
    placeholders = ", ".join(["%s"] * len(names))
    # Only names from the model's own metadata go into the text; values are parameters.
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608


def uuid_parameter() -> Callable[[str], Any]:
    """How this database takes a UUID given as text (Django's own choice for UUIDField:
    the UUID itself where the database has the type, else 32 hexadecimal digits). Raises
    ValueError for text that is not a UUID."""
    if connection.features.has_native_uuid_field:
        return uuid.UUID
    return _hex_of


def _hex_of(text: str) -> str:
    if len(text) == 36 and _CANONICAL.fullmatch(text):
        return text.replace("-", "")
    return uuid.UUID(text).hex


def own_uuid_parameter() -> Callable[[str], Any]:
    """How a journal row takes a UUID the ledger itself drew (canonical text, so it needs
    no checking): as text on PostgreSQL, where rows go in with ``COPY`` and the server reads
    the text, and as 32 hexadecimal digits elsewhere (Django's own form for UUIDField)."""
    if connection.features.has_native_uuid_field:
        return str
    return _without_hyphens


def _without_hyphens(text: str) -> str:
    return text.replace("-", "")


def uuid_text() -> Callable[[Any], str]:
    """A UUID as the database gives it, as canonical text."""
    if connection.features.has_native_uuid_field:
        return str
    return _text_of_hex


def _text_of_hex(value: str) -> str:
    return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"


_CANONICAL = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def datetime_parameter(moment: datetime | None) -> Any:
    return None if moment is None else connection.ops.adapt_datetimefield_value(moment)


def insert_transfers(rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert journal rows, each a tuple in :data:`TRANSFER_COLUMNS` order, already in the
    database's parameter types (:func:`uuid_parameter`, :func:`datetime_parameter`).

    On PostgreSQL the rows go in with one ``COPY``: every statement is a round trip, and
    ``executemany`` sends one ``INSERT`` a row (with each parameter quoted in Python by
    Django's client-side cursor), which took longer than the rest of a batch. ``COPY``
    checks the same constraints and fires the same triggers. SQLite runs the prepared
    statement once a row inside the library, which is as fast as it gets there.
    """
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with connection.wrap_database_errors, cursor.cursor.copy(_copy_statement()) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(_insert_statement(Transfer, TRANSFER_COLUMNS), rows)


def _copy_statement() -> str:
    columns = ", ".join(quoted_column(name) for name in TRANSFER_COLUMNS)
    # Only names from the model's own metadata go into the text; values are streamed.
    return f"COPY {connection.ops.quote_name(Transfer._meta.db_table)} ({columns}) FROM STDIN"


def keys_of(uuids: Sequence[str]) -> dict[str, int]:
    """The keys of journal rows by their UUIDs (rows written earlier in this transaction)."""
    rows = Transfer.objects.filter(uuid__in=[uuid.UUID(u) for u in uuids]).values_list("uuid", "pk")
    return {str(key): pk for key, pk in rows}


def store_balances(rows: Sequence[tuple[int, int, int, int]]) -> None:
    """Write accounts' balances and reservations, each (balance, pending debits, pending
    credits, key).

    ``bulk_update`` builds a CASE expression over every row, which costs more than the rest
    of a large batch together. On PostgreSQL one ``UPDATE … FROM unnest(…)`` takes the four
    columns as four arrays (one round trip, not one a row); SQLite runs one prepared
    ``UPDATE`` a row inside the library. Either way the database's check constraints
    refuse any row outside its limits, and PostgreSQL's deferred zero-sum trigger checks
    the units at commit.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = {field.name: quote(str(field.column)) for field in Account._meta.concrete_fields}
    table, key = quote(Account._meta.db_table), columns["id"]
    names = ("balance", "pending_debits", "pending_credits")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            assignments = ", ".join(f"{columns[name]} = new.{name}" for name in names)
            # Only names from the model's own metadata go into the text; values are arrays.
            cursor.execute(
                f"UPDATE {table} SET {assignments} "  # noqa: S608
                "FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[]) "
                f"AS new({', '.join(names)}, key) WHERE {table}.{key} = new.key",
                [list(column) for column in zip(*rows, strict=True)],
            )
            return
        assignments = ", ".join(f"{columns[name]} = %s" for name in names)
        statement = f"UPDATE {table} SET {assignments} WHERE {key} = %s"  # noqa: S608
        cursor.executemany(statement, rows)
