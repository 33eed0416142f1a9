"""Proposals, their workflow, versions, comments, translations and supporting documents."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from minga.assemblies.audit_events import AssembliesEvent
from minga.common import audit
from minga.common.errors import DomainError
from minga.common.markdown import render_markdown
from minga.common.models import Visibility
from minga.common.permissions import guarded, require, unguarded

from .. import selectors
from ..models import (
    Amendment,
    Comment,
    DebateSpace,
    DecisionKind,
    Proposal,
    ProposalStatus,
    ProposalTranslation,
    ProposalVersion,
    SupportingDocument,
)
from ..rules import transition_rule
from .base import _now
from .bodies import _validate_payload, rules_change_apply

if TYPE_CHECKING:
    from minga.registry.models import Body, Organization

# Proposals


@guarded("assemblies.proposal.create", on="body")
@transaction.atomic
def proposal_create(
    *,
    actor: Any,
    body: Body,
    on_behalf_of: Organization,
    title: str,
    text: str,
    language: str = "es",
    kind: str = DecisionKind.ORDINARY,
    rules_payload: dict[str, Any] | None = None,
    visibility: str = Visibility.PUBLIC,
) -> Proposal:
    rules = selectors.rules_in_force(body)
    if rules is None:
        raise DomainError(
            _("This body has no rules of operation yet."), "body", code="body_without_rules"
        )
    if on_behalf_of.pk not in selectors.may_propose(actor, body, rules):
        raise DomainError(
            _("Under this body's rules you may not propose on behalf of this organization."),
            "on_behalf_of",
            code="may_not_propose_for_organization",
        )
    if kind not in DecisionKind.values:
        raise DomainError(_("Unknown kind of decision."), "kind", code="unknown_decision_kind")
    if not title.strip():
        raise DomainError(_("Give the proposal a title."), "title", code="title_missing")
    if not text.strip():
        raise DomainError(_("Write the text of the proposal."), "text", code="text_missing")
    payload = (
        _validate_payload(body, rules, rules_payload or {})
        if kind == DecisionKind.RULES_CHANGE
        else {}
    )
    proposal = Proposal.objects.create(
        body=body,
        on_behalf_of=on_behalf_of,
        author=actor,
        title=title.strip(),
        language=language,
        kind=kind,
        rules_payload=payload,
        visibility=visibility,
    )
    ProposalVersion.objects.create(proposal=proposal, number=1, text=text, created_by=actor)
    audit.record(
        actor=actor,
        action=AssembliesEvent.PROPOSAL_CREATE,
        target=proposal,
        changes={"title": [None, proposal.title], "kind": [None, kind]},
    )
    return proposal


def _close_amendment_window(proposal: Proposal, moment: datetime) -> bool:
    """Write the move to debate of a (locked) open proposal whose window has passed."""
    if proposal.status_at(moment) == proposal.status:
        return False
    before = proposal.status
    proposal.status = ProposalStatus.DEBATE
    proposal.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=None,
        action=AssembliesEvent.PROPOSAL_TRANSITION,
        target=proposal,
        changes={"status": [before, proposal.status]},
        reason="deadline",
    )
    return True


@unguarded("the worker moves proposals past their amendment window to debate")
@transaction.atomic
def amendment_windows_close(*, now: datetime | None = None) -> int:
    """Move every open proposal past its amendment window to debate; the background step.

    Pages and the API already read such a proposal as in debate (``Proposal.status_at``);
    this writes it down. Running it twice moves nothing more.
    """
    moment = _now(now)
    due = Proposal.objects.select_for_update().filter(
        status=ProposalStatus.OPEN, amendments_close_at__lte=moment
    )
    return sum(_close_amendment_window(proposal, moment) for proposal in due)


def _schedule_window_close(moment: datetime) -> None:
    from ..tasks import close_amendment_windows

    # A backend that cannot defer (the inline one in tests) leaves it to the periodic run
    # of `minga assemblies_deadlines`; reads are right either way.
    if close_amendment_windows.get_backend().supports_defer:
        close_amendment_windows.using(run_after=moment).enqueue()


@guarded("assemblies.proposal.move", on="proposal")
@transaction.atomic
def proposal_transition(
    *, actor: Any, proposal: Proposal, to_status: str, reason: str = "", now: datetime | None = None
) -> Proposal:
    require(actor, transition_rule(to_status), proposal)
    proposal = Proposal.objects.select_for_update(of=("self",)).get(pk=proposal.pk)
    moment = _now(now)
    _close_amendment_window(proposal, moment)
    if to_status not in selectors.allowed_transitions(proposal, moment):
        raise DomainError(
            _("A proposal that is “%(status)s” cannot move to “%(target)s”.")
            % {
                "status": proposal.get_status_display(),
                "target": ProposalStatus(to_status).label
                if to_status in ProposalStatus.values
                else to_status,
            },
            "status",
            code="transition_not_allowed",
        )
    if (
        to_status == ProposalStatus.WITHDRAWN
        and proposal.votes.filter(closed_at__isnull=True).exists()
    ):
        raise DomainError(
            _("A proposal cannot be withdrawn while a vote on it is open."),
            "status",
            code="vote_open",
        )
    before = proposal.status
    proposal.status = to_status
    if to_status == ProposalStatus.OPEN:
        # Opening (or reopening after debate) gives a whole new window for amendments.
        rules = selectors.rules_in_force(proposal.body)
        days = rules.amendment_window_days if rules else 0
        proposal.amendments_close_at = moment + timedelta(days=days)
        closes = proposal.amendments_close_at
        transaction.on_commit(lambda: _schedule_window_close(closes))
    proposal.save(update_fields=["status", "amendments_close_at", "updated_at"])
    audit.record(
        actor=actor,
        action=AssembliesEvent.PROPOSAL_TRANSITION,
        target=proposal,
        changes={"status": [before, to_status]},
        reason=reason,
    )
    return proposal


def _settle(proposal: Proposal, adopted: bool, actor: Any) -> None:
    before = proposal.status
    proposal.status = ProposalStatus.ADOPTED if adopted else ProposalStatus.REJECTED
    proposal.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action=AssembliesEvent.PROPOSAL_TRANSITION,
        target=proposal,
        changes={"status": [before, proposal.status]},
        reason="vote",
    )
    if adopted and proposal.kind == DecisionKind.RULES_CHANGE:
        rules_change_apply(actor=actor, proposal=proposal)


@guarded("assemblies.proposal.comment", on="proposal")
@transaction.atomic
def comment_add(
    *,
    actor: Any,
    proposal: Proposal,
    text: str,
    parent: Comment | None = None,
    language: str = "es",
) -> Comment:
    if not text.strip():
        raise DomainError(_("Write a comment."), "text", code="comment_empty")
    if parent is not None and parent.proposal_id != proposal.pk:
        raise DomainError(
            _("You can only reply to a comment on the same proposal."),
            "parent",
            code="reply_outside_proposal",
        )
    status = Proposal.objects.values_list("status", flat=True).get(pk=proposal.pk)
    if status in (ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN):
        raise DomainError(
            _("This proposal is not open for comments."),
            "proposal",
            code="proposal_closed_for_comments",
        )
    return _comment_create(
        actor=actor, thread=proposal, text=text, parent=parent, language=language
    )


def _comment_create(
    *, actor: Any, thread: Proposal | DebateSpace, text: str, parent: Comment | None, language: str
) -> Comment:
    """The part of commenting shared by proposals and debates, once each has checked its own."""
    owner = {"proposal": thread} if isinstance(thread, Proposal) else {"debate": thread}
    comment = Comment.objects.create(
        **owner,
        parent=parent,
        author=actor,
        text=text,
        text_html=render_markdown(text),
        language=language,
    )
    audit.record(
        actor=actor,
        action=AssembliesEvent.COMMENT_ADD,
        target=thread,
        changes={"comment": [None, comment.pk]},
    )
    return comment


def _new_version(
    proposal: Proposal, text: str, actor: Any, amendment: Amendment | None
) -> ProposalVersion:
    last = selectors.current_version(proposal)
    return ProposalVersion.objects.create(
        proposal=proposal,
        number=last.number + 1,
        text=text,
        created_by=actor,
        from_amendment=amendment,
    )


@guarded("assemblies.amendment.propose", on="proposal")
@transaction.atomic
def amendment_propose(
    *,
    actor: Any,
    proposal: Proposal,
    base_version: ProposalVersion,
    new_text: str,
    on_behalf_of: Organization,
    rationale: str = "",
    now: datetime | None = None,
) -> Amendment:
    proposal = Proposal.objects.select_for_update(of=("self",)).get(pk=proposal.pk)
    if proposal.status_at(_now(now)) != proposal.status:
        raise DomainError(
            _("The amendment window has closed."), "proposal", code="amendment_window_closed"
        )
    if proposal.status != ProposalStatus.OPEN:
        raise DomainError(
            _("This proposal is not open for amendments."),
            "proposal",
            code="proposal_not_open_for_amendments",
        )
    if base_version.proposal_id != proposal.pk:
        raise DomainError(
            _("That version belongs to another proposal."),
            "base_version",
            code="version_of_another_proposal",
        )
    if new_text.strip() == base_version.text.strip():
        raise DomainError(
            _("The amendment does not change the text."),
            "new_text",
            code="amendment_changes_nothing",
        )
    rules = selectors.rules_in_force(proposal.body)
    if on_behalf_of.pk not in selectors.may_propose(actor, proposal.body, rules):
        raise DomainError(
            _("Under this body's rules you may not amend on behalf of this organization."),
            "on_behalf_of",
            code="may_not_amend_for_organization",
        )
    amendment = Amendment.objects.create(
        proposal=proposal,
        base_version=base_version,
        author=actor,
        on_behalf_of=on_behalf_of,
        new_text=new_text,
        rationale=rationale,
    )
    audit.record(
        actor=actor,
        action=AssembliesEvent.AMENDMENT_PROPOSE,
        target=amendment,
        changes={"base_version": [None, base_version.number]},
    )
    return amendment


# Translations and supporting documents


@guarded("assemblies.proposal.translate", on="proposal")
@transaction.atomic
def proposal_translation_save(
    *, actor: Any, proposal: Proposal, language: str, text: str, title: str = ""
) -> ProposalTranslation:
    """Translate the proposal's current version into another language (again: replace it)."""
    language = language.strip()
    if not language or len(language) > 16:
        raise DomainError(
            _("Give the language of the translation."), "language", code="language_missing"
        )
    if language == proposal.language:
        raise DomainError(
            _("This is the language of the original."), "language", code="language_of_original"
        )
    if not text.strip():
        raise DomainError(_("Write the translated text."), "text", code="translation_empty")
    version = selectors.current_version(proposal)
    translation = (
        ProposalTranslation.objects.select_for_update(of=("self",))
        .filter(proposal=proposal, language=language)
        .first()
    )
    before = translation.version.number if translation else None
    if translation is None:
        translation = ProposalTranslation(proposal=proposal, language=language)
    translation.text = text
    translation.title = title.strip()[:200]
    translation.version = version
    translation.translator = actor
    translation.save()
    audit.record(
        actor=actor,
        action=AssembliesEvent.PROPOSAL_TRANSLATE,
        target=proposal,
        changes={"language": [None, language], "version": [before, version.number]},
    )
    return translation


DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
DOCUMENT_KINDS = ("pdf", "odt", "docx", "png", "jpg", "jpeg", "webp")


def _zip_names(head: Any) -> set[str]:
    import zipfile

    try:
        with zipfile.ZipFile(head) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return set()


def _zip_member(upload: Any, name: str) -> bytes:
    import zipfile

    try:
        with zipfile.ZipFile(upload) as archive, archive.open(name) as member:
            data: bytes = member.read(100)
            return data
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return b""


def _document_kind(upload: Any) -> str:
    """The kind of an uploaded file, by its extension *and* its first bytes, or a refusal.

    ODT and DOCX are zip archives; their contents say which (ODT's ``mimetype`` member,
    DOCX's ``word/document.xml``), so a renamed archive is refused.
    """
    name = str(getattr(upload, "name", "") or "")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in DOCUMENT_KINDS:
        raise DomainError(
            _("Upload a PDF, ODT or DOCX document, or a PNG, JPEG or WebP image."),
            "file",
            code="unsupported_document_type",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if extension == "pdf":
        ok = head.startswith(b"%PDF-")
    elif extension == "png":
        ok = head.startswith(b"\x89PNG\r\n\x1a\n")
    elif extension in ("jpg", "jpeg"):
        ok = head.startswith(b"\xff\xd8\xff")
    elif extension == "webp":
        ok = head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    elif not head.startswith(b"PK\x03\x04"):
        ok = False
    elif extension == "odt":
        ok = _zip_member(upload, "mimetype").strip() == b"application/vnd.oasis.opendocument.text"
    else:
        ok = "word/document.xml" in _zip_names(upload)
    upload.seek(0)
    if not ok:
        raise DomainError(
            _("The file's contents do not match its extension."),
            "file",
            code="document_content_mismatch",
        )
    return "jpg" if extension == "jpeg" else extension


@guarded("assemblies.proposal.attach", on="proposal")
@transaction.atomic
def proposal_document_add(
    *, actor: Any, proposal: Proposal, upload: Any, title: str = ""
) -> SupportingDocument:
    """Attach a supporting document (≤ 5 MB; checked by extension and by its first bytes)."""
    import uuid as uuid_lib

    size = int(getattr(upload, "size", 0) or 0)
    if size <= 0:
        raise DomainError(_("The file is empty."), "file", code="document_empty")
    if size > DOCUMENT_MAX_BYTES:
        raise DomainError(_("A document is at most 5 MB."), "file", code="document_too_large")
    kind = _document_kind(upload)
    original = str(upload.name).rsplit("/", 1)[-1][:255]
    document = SupportingDocument(
        proposal=proposal,
        title=(title.strip() or original)[:200],
        original_name=original,
        kind=kind,
        size=size,
        uploaded_by=actor,
    )
    document.file.save(f"{uuid_lib.uuid4().hex}.{kind}", upload, save=False)
    document.save()
    audit.record(
        actor=actor,
        action=AssembliesEvent.PROPOSAL_DOCUMENT,
        target=proposal,
        changes={"document": [None, document.title], "size": [None, size]},
    )
    return document
