"""Writes of the legal-support cases: open a case, change it, its team, identity,
hearings and deadlines, notes, documents and expenses; log each read; delete it at the
supported person's request; remind its team of coming dates; re-encrypt every case under a
new key.

Every free text is sealed (``case_data``) before it is saved; nothing of a case's content
is passed to the audit log, an email, a log line or an error report (the functions that
hold it are ``sensitive_variables``, so Django's error reports show none of their locals).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables
from django_countries import countries

from minga.common import audit
from minga.common.errors import DomainError
from minga.common.files import DOCUMENTS, IMAGES, check_upload
from minga.common.permissions import guarded, unguarded

from .. import case_data, sealing
from ..audit_events import FundsEvent
from ..models import (
    CaseDate,
    CaseDeletion,
    CaseDocument,
    CaseExpense,
    CaseIdentity,
    CaseMember,
    CaseNote,
    CaseRead,
    Fund,
    LegalCase,
)
from ..types import (
    CaseDateKind,
    CaseKind,
    CaseReadKind,
    CaseRole,
    CaseStatus,
    MovementKindChoice,
)
from ._revision import _figures_changed  # the package's own helper
from .spending import _request  # the package's own helper: a request, guarded by the caller

DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
DOCUMENT_KINDS = DOCUMENTS | IMAGES
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
IDENTITY_FIELDS = ("legal_name", "born_on", "nationality", "contact", "papers")


@dataclass
class CaseData:
    pseudonym: str
    country: str
    kind: str
    place: str = ""
    summary: str = ""
    outcome: str = ""
    status: str = CaseStatus.OPEN


def _keyring() -> sealing.Keyring:
    try:
        return sealing.configured_keyring()
    except sealing.KeyNotConfiguredError:
        raise DomainError(
            _("The server keeps no key for legal cases; its operator must configure one."),
            None,
            code="cases_key_missing",
            status=503,
        ) from None


def _case_of(row: Any) -> LegalCase:
    return row.case  # type: ignore[no-any-return]


def _text(value: str, field: str, limit: int, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_("This field is required."), field, code="field_required")
    if len(value) > limit:
        raise DomainError(
            _("Write at most %(count)d characters.") % {"count": limit}, field, code="too_long"
        )
    return value


@sensitive_variables()
def _clean_case(data: CaseData) -> dict[str, str]:
    if data.kind not in CaseKind.values:
        raise DomainError(_("Choose the kind of case."), "kind", code="kind")
    if data.status not in CaseStatus.values:
        raise DomainError(_("Choose the status."), "status", code="status")
    if data.country not in dict(countries):
        raise DomainError(_("Choose the country."), "country", code="country")
    return {
        "pseudonym": _text(data.pseudonym, "pseudonym", 100, required=True),
        "place": _text(data.place, "place", 200),
        "summary": _text(data.summary, "summary", 20_000),
        "outcome": _text(data.outcome, "outcome", 5_000),
    }


def _new_reference() -> str:
    while True:
        reference = "C-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _i in range(8))
        taken = LegalCase.objects.filter(reference=reference).exists()
        if not taken and not CaseDeletion.objects.filter(reference=reference).exists():
            return reference


@guarded("funds.case.open", on="fund")
@transaction.atomic
@sensitive_variables()
def case_open(*, actor: Any, fund: Fund, data: CaseData) -> LegalCase:
    """Open a case in the fund's register; the actor is its first coordinator."""
    fields = _clean_case(data)
    keyring = _keyring()
    today = timezone.localdate()
    case = LegalCase(
        fund=fund,
        reference=_new_reference(),
        country=data.country,
        kind=data.kind,
        status=data.status,
        opened_in=today.replace(day=1),
    )
    case_data.give_data_key(case, keyring)
    case.sealed = case_data.seal(case, "case", case, fields)
    case.save()
    CaseMember.objects.create(case=case, user=actor, role=CaseRole.COORDINATOR)
    _figures_changed(fund.pk)  # the fund's page counts its cases
    audit.record(actor=actor, action=FundsEvent.CASE_OPEN, target=case)
    return case


@guarded("funds.case.work", on="case")
@transaction.atomic
@sensitive_variables()
def case_update(*, actor: Any, case: LegalCase, data: CaseData) -> LegalCase:
    fields = _clean_case(data)
    case = LegalCase.objects.select_for_update().get(pk=case.pk)
    case.country, case.kind, case.status = data.country, data.kind, data.status
    case.sealed = case_data.seal(case, "case", case, fields)
    case.save(update_fields=["country", "kind", "status", "sealed"])
    _figures_changed(case.fund_id)
    audit.record(actor=actor, action=FundsEvent.CASE_UPDATE, target=case)
    return case


@guarded("funds.case.identity", on="case")
@transaction.atomic
@sensitive_variables()
def identity_set(*, actor: Any, case: LegalCase, identity: dict[str, str]) -> CaseIdentity:
    """Write (or replace) the supported person's real identity, kept apart from the case."""
    fields = {name: _text(identity.get(name, ""), name, 500) for name in IDENTITY_FIELDS}
    if not fields["legal_name"]:
        raise DomainError(_("Write the person's name."), "legal_name", code="legal_name_required")
    record = CaseIdentity.objects.filter(case=case).first() or CaseIdentity(case=case)
    record.sealed = case_data.seal(case, "identity", record, fields)
    record.save()
    audit.record(actor=actor, action=FundsEvent.CASE_IDENTITY, target=case)
    return record


@guarded("funds.case.identity", on="case")
@transaction.atomic
def identity_read(*, actor: Any, case: LegalCase) -> dict[str, str] | None:
    """The real identity, logged as a read for the team; None when none is written."""
    record = CaseIdentity.objects.filter(case=case).first()
    if record is None:
        return None
    CaseRead.objects.create(case=case, reader=actor, what=CaseReadKind.IDENTITY)
    fields = case_data.unseal(case, "identity", record, record.sealed)
    return {name: str(fields.get(name, "")) for name in IDENTITY_FIELDS}


@guarded("funds.case.work", on="case")
@transaction.atomic
def case_read(*, actor: Any, case: LegalCase) -> dict[str, str]:
    """The case's own fields, logged as a read for the team."""
    CaseRead.objects.create(case=case, reader=actor, what=CaseReadKind.CASE)
    return case_data.case_fields(case)


@unguarded("logs reads of cases that visible_cases already limited to the reader's team")
def cases_listed(*, actor: Any, cases: list[LegalCase]) -> dict[int, str]:
    """The pseudonyms of the cases shown in a list to ``actor``, each logged as a read.
    Only cases whose team the actor is on are opened (the others are skipped)."""
    if not cases:
        return {}
    mine = set(
        CaseMember.objects.filter(case__in=cases, user=actor).values_list("case_id", flat=True)
    )
    shown = [case for case in cases if case.pk in mine]
    keyring = _keyring()
    CaseRead.objects.bulk_create(
        [CaseRead(case=case, reader=actor, what=CaseReadKind.LIST) for case in shown]
    )
    pseudonyms = {}
    for case in shown:
        case_data.data_key(case, keyring)
        pseudonyms[case.pk] = case_data.case_fields(case)["pseudonym"]
    return pseudonyms


# Team ----------------------------------------------------------------------------------


@guarded("funds.case.lead", on="case")
@transaction.atomic
def member_add(*, actor: Any, case: LegalCase, user: Any, role: str) -> CaseMember:
    if role not in CaseRole.values:
        raise DomainError(_("Choose the role."), "role", code="role")
    if user is None or not getattr(user, "is_active", False):
        raise DomainError(_("Choose a person."), "user", code="user_required")
    member, _created = CaseMember.objects.update_or_create(
        case=case, user=user, defaults={"role": role}
    )
    _keep_a_coordinator(case)
    audit.record(actor=actor, action=FundsEvent.CASE_TEAM, target=case)
    return member


@guarded("funds.case.lead", on="case")
@transaction.atomic
def member_remove(*, actor: Any, case: LegalCase, user: Any) -> None:
    CaseMember.objects.filter(case=case, user=user).delete()
    _keep_a_coordinator(case)
    audit.record(actor=actor, action=FundsEvent.CASE_TEAM, target=case)


def _keep_a_coordinator(case: LegalCase) -> None:
    if not CaseMember.objects.filter(case=case, role=CaseRole.COORDINATOR).exists():
        raise DomainError(
            _("A case keeps at least one coordinator."), "user", code="last_coordinator"
        )


# Hearings and deadlines, notes, documents, expenses -----------------------------------


@guarded("funds.case.work", on="case")
@transaction.atomic
@sensitive_variables()
def date_add(
    *, actor: Any, case: LegalCase, kind: str, on: date, what: str, where: str = "", time: str = ""
) -> CaseDate:
    if kind not in CaseDateKind.values:
        raise DomainError(_("Choose a hearing or a deadline."), "kind", code="kind")
    if not isinstance(on, date):
        raise DomainError(_("Give the day."), "on", code="day_required")
    fields = {
        "what": _text(what, "what", 500, required=True),
        "where": _text(where, "where", 300),
        "time": _text(time, "time", 20),
    }
    row = CaseDate(case=case, kind=kind, on=on)
    row.sealed = case_data.seal(case, "date", row, fields)
    row.save()
    audit.record(actor=actor, action=FundsEvent.CASE_DATE, target=case)
    return row


@guarded("funds.case.work", on="case_date", via=_case_of)
@transaction.atomic
def date_done(*, actor: Any, case_date: CaseDate) -> CaseDate:
    CaseDate.objects.filter(pk=case_date.pk).update(done=True)
    case_date.done = True
    audit.record(actor=actor, action=FundsEvent.CASE_DATE, target=case_date.case)
    return case_date


@guarded("funds.case.work", on="case")
@transaction.atomic
@sensitive_variables()
def note_add(*, actor: Any, case: LegalCase, text: str) -> CaseNote:
    body = _text(text, "text", 20_000, required=True)
    note = CaseNote(case=case, author=actor)
    note.sealed = case_data.seal(
        case, "note", note, {"text": body, "written_at": timezone.now().isoformat()}
    )
    note.save()
    audit.record(actor=actor, action=FundsEvent.CASE_NOTE, target=case)
    return note


@guarded("funds.case.work", on="case")
@transaction.atomic
@sensitive_variables()
def document_add(*, actor: Any, case: LegalCase, upload: Any, title: str = "") -> CaseDocument:
    """Seal an uploaded document (PDF, office document or picture, up to 10 MB) into the
    database; the file itself is never written to the media directory."""
    if upload is None:
        raise DomainError(_("Choose a file."), "file", code="file_required")
    kind = check_upload(upload, allowed=DOCUMENT_KINDS, max_bytes=DOCUMENT_MAX_BYTES, field="file")
    upload.seek(0)
    content = upload.read()
    name = str(getattr(upload, "name", "") or f"document.{kind.extension}")[-200:]
    meta = {
        "title": _text(title, "title", 200) or name,
        "filename": name,
        "mime": kind.mime,
        "size": len(content),
        "added_on": timezone.localdate().isoformat(),
    }
    document = CaseDocument(case=case, added_by=actor)
    document.sealed = case_data.seal(case, "document", document, meta)
    document.content = case_data.seal_bytes(case, "document-content", document, content)
    document.save()
    audit.record(actor=actor, action=FundsEvent.CASE_DOCUMENT, target=case)
    return document


@guarded("funds.case.work", on="document", via=_case_of)
@transaction.atomic
def document_open(*, actor: Any, document: CaseDocument) -> tuple[dict[str, Any], bytes]:
    """The document's description and bytes, logged as a read for the team."""
    case = document.case
    CaseRead.objects.create(case=case, reader=actor, what=CaseReadKind.DOCUMENT)
    meta = case_data.unseal(case, "document", document, document.sealed)
    content = case_data.unseal_bytes(case, "document-content", document, document.content)
    return meta, content


@guarded("funds.case.work", on="document", via=_case_of)
@transaction.atomic
def document_remove(*, actor: Any, document: CaseDocument) -> None:
    """Remove a document from its case: its sealed description and bytes are overwritten
    before the row is deleted (the database's free pages keep no copy). Removing one
    already removed changes nothing."""
    case = document.case
    rows = CaseDocument.objects.filter(pk=document.pk)
    rows.update(sealed=b"", content=b"")
    if rows.delete()[0]:
        audit.record(actor=actor, action=FundsEvent.CASE_DOCUMENT_REMOVE, target=case)


@guarded("funds.case.work", on="case")
@transaction.atomic
@sensitive_variables()
def expense_request(
    *, actor: Any, case: LegalCase, amount: int, category: str, paid_to: str, what_for: str
) -> CaseExpense:
    """Ask the fund to pay an expense of the case. The fund's movement — what its managers
    approve and the ledger records — carries the amount, the category and the case's
    reference only; to whom and for what stays sealed in the case."""
    fields = {
        "paid_to": _text(paid_to, "paid_to", 200, required=True),
        "what_for": _text(what_for, "what_for", 500, required=True),
    }
    label = _("Legal case %(reference)s") % {"reference": case.reference}
    movement = _request(
        actor=actor,
        fund=case.fund,
        kind=MovementKindChoice.EXPENSE,
        amount=amount,
        category=category,
        description=label,
        payee=label,
    )
    expense = CaseExpense(case=case, movement=movement)
    expense.sealed = case_data.seal(case, "expense", expense, fields)
    expense.save()
    audit.record(actor=actor, action=FundsEvent.CASE_EXPENSE, target=case)
    return expense


# Deletion ------------------------------------------------------------------------------


@guarded("funds.case.lead", on="case")
@transaction.atomic
def case_delete(*, actor: Any, case: LegalCase, reference: str) -> CaseDeletion:
    """Delete the case at the supported person's request: its identity, team, dates,
    notes, documents, expenses' details, read log and its wrapped data key (so any copy
    of its ciphertext left in a backup never opens again). What stays: the reference, the
    fund and the day, and the fund's movements (amount, category, reference). The caller
    types the reference to confirm."""
    if reference.strip().upper() != case.reference:
        raise DomainError(
            _("Type the case's reference to confirm."), "reference", code="reference_mismatch"
        )
    case = LegalCase.objects.select_for_update().get(pk=case.pk)
    deletion = CaseDeletion.objects.create(
        fund=case.fund, reference=case.reference, deleted_on=timezone.localdate()
    )
    # Overwrite the sealed bytes and the wrapped key before deleting the rows, so that the
    # database's free pages keep no copy of the key either.
    empty = b""
    for model in (CaseIdentity, CaseDate, CaseNote, CaseExpense):
        model.objects.filter(case=case).update(sealed=empty)
    CaseDocument.objects.filter(case=case).update(sealed=empty, content=empty)
    LegalCase.objects.filter(pk=case.pk).update(sealed=empty, wrapped_key=empty)
    case.delete()
    _figures_changed(deletion.fund_id)
    audit.record(actor=actor, action=FundsEvent.CASE_DELETE, target=deletion)
    return deletion


# Reminders and keys (the worker and the operator) --------------------------------------


@unguarded("the worker's daily reminders of hearings and deadlines; no person asks for it")
def case_dates_remind(*, today: date | None = None) -> int:
    """Email each team member of a case with a hearing or deadline in the next week, once
    per date: the email says only that something needs their attention (no case, name,
    reference or date), and links to their list of cases. Returns the dates reminded."""
    from ..selectors import CASE_REMINDER_DAYS

    day = today or timezone.localdate()
    horizon = date.fromordinal(day.toordinal() + CASE_REMINDER_DAYS)
    due = CaseDate.objects.filter(done=False, on__gte=day, on__lte=horizon).exclude(
        reminded_for=F("on")
    )
    reminded = 0
    url = settings.SITE_URL + reverse("funds:cases")
    for row in due.select_related("case").order_by("on", "id"):
        people = [
            m.user for m in CaseMember.objects.filter(case_id=row.case_id).select_related("user")
        ]
        with transaction.atomic():
            updated = (
                CaseDate.objects.filter(pk=row.pk)
                .exclude(reminded_for=row.on)
                .update(reminded_for=row.on)
            )
            if not updated:  # another worker reminded it meanwhile
                continue
            for person in people:
                if person.is_active and person.email:
                    _send_attention(person, url)
            audit.record(actor=None, action=FundsEvent.CASE_REMIND, target=row.case)
        reminded += 1
    return reminded


def _send_attention(person: Any, url: str) -> None:
    with translation.override(person.language or settings.LANGUAGE_CODE):
        subject = _("Something needs your attention in Minga")
        body = _(
            "Hello,\n\nSomething in the legal support you take part in needs your attention "
            "soon. Sign in to see it:\n%(url)s\n"
        ) % {"url": url}
    send_mail(subject, body, None, [person.email])


@unguarded("the operator's `minga cases rotate-key`, from the server's command line")
@transaction.atomic
def cases_rekey(*, keyring: sealing.Keyring) -> int:
    """Re-encrypt every case, in one transaction: each gets a fresh data key wrapped by the
    keyring's current master key, and every sealed value and document is opened under the
    old data key and sealed again under the new one. A value that does not open stops it
    all (nothing is half re-encrypted, nothing lost). Returns the number of cases."""
    done = 0
    for case in LegalCase.objects.select_for_update().order_by("pk").iterator(chunk_size=200):
        case_data.data_key(case, keyring)
        case_fields = case_data.unseal(case, "case", case, case.sealed)
        rows: list[tuple[Any, str, Any]] = []
        for model, label in (
            (CaseIdentity, "identity"),
            (CaseDate, "date"),
            (CaseNote, "note"),
            (CaseExpense, "expense"),
            (CaseDocument, "document"),
        ):
            for row in model.objects.filter(case=case):
                rows.append((row, label, case_data.unseal(case, label, row, row.sealed)))
        contents = {
            document.pk: case_data.unseal_bytes(
                case, "document-content", document, document.content
            )
            for document in CaseDocument.objects.filter(case=case)
        }
        case_data.give_data_key(case, keyring)
        case.sealed = case_data.seal(case, "case", case, case_fields)
        case.save(update_fields=["key_id", "wrapped_key", "sealed"])
        for row, label, value in rows:
            row.sealed = case_data.seal(case, label, row, value)
            fields = ["sealed"]
            if label == "document":
                row.content = case_data.seal_bytes(case, "document-content", row, contents[row.pk])
                fields.append("content")
            row.save(update_fields=fields)
        audit.record(actor=None, action=FundsEvent.CASE_REKEY, target=case)
        done += 1
    return done
