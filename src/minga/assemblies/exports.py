"""Minutes of meetings and adopted texts as documents (``minga.common.documents``), which
render as accessible HTML and PDF, and the anonymized BLT file of a closed secret ranked vote.
Reads only; the callers check visibility."""

from __future__ import annotations

from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from minga.common.documents import Document, Section, Table, render_html, render_pdf
from minga.common.errors import DomainError
from minga.core import tally as core

from . import selectors
from .models import Declaration, Meeting, SecretBallot, Vote
from .models.bodies import RANKED_METHODS
from .outcomes import is_blank, summary


def _when(moment: Any) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else ""


def minutes_document(meeting: Meeting) -> Document:
    """The minutes: agenda, attendance and quorum, decisions by item, tables' reports."""
    quorum = selectors.meeting_quorum(meeting)
    items = list(
        meeting.agenda_items.select_related("proposal").prefetch_related("decisions__vote__tally")
    )
    tables = list(selectors.meeting_working_tables(meeting))
    agenda = Section(
        _("Agenda"),
        tables=[
            Table(
                _("Agenda"),
                [_("No."), _("Item")],
                [[str(item.position), item.title] for item in items],
                row_headers=True,
            )
        ],
    )
    attendance = Section(
        _("Attendance and quorum"),
        tables=[
            Table(
                _("Attendance and quorum"),
                [_("Figure"), _("Value")],
                [
                    [_("Members present"), f"{quorum.present_members} / {quorum.total_members}"],
                    [_("Weight present"), f"{quorum.present_weight} / {quorum.total_weight}"],
                    [_("Quorum required"), str(quorum.required)],
                    [_("Quorum met"), _("Yes") if quorum.met else _("No")],
                    [_("Rules version"), str(quorum.rules_version or "—")],
                ],
                row_headers=True,
            )
        ],
    )
    decisions = Section(_("Decisions"))
    for item in items:
        found = list(item.decisions.all())
        if not found:
            continue
        part = Section(f"{item.position}. {item.title}")
        for decision in found:
            part.paragraphs.append(decision.text)
            if decision.vote is not None:
                tally = getattr(decision.vote, "tally", None)
                part.paragraphs.append(
                    _("Vote “%(title)s”: %(result)s")
                    % {"title": decision.vote.title, "result": summary(decision.vote, tally)}
                )
        decisions.subsections.append(part)
    if not decisions.subsections:
        decisions.paragraphs.append(_("No decision was recorded."))
    reports = Section(_("Working tables"))
    for table in tables:
        linked = ", ".join(f"{item.position}. {item.title}" for item in table.agenda_items.all())
        part = Section(table.name, language=table.report_language)
        details = [
            [_("Theme"), table.theme or "—"],
            [_("Rapporteur"), str(table.rapporteur) if table.rapporteur else "—"],
            [_("Agenda items"), linked or "—"],
        ]
        part.tables.append(Table(table.name, [_("Detail"), _("Value")], details, row_headers=True))
        part.paragraphs.append(table.report or _("No report yet."))
        reports.subsections.append(part)
    sections = [agenda, attendance, decisions]
    if tables:
        sections.append(reports)
    if meeting.minutes.strip():
        sections.append(
            Section(_("Minutes"), paragraphs=[meeting.minutes], language=meeting.minutes_language)
        )
    meta = [
        str(meeting.body),
        f"{_when(meeting.starts_at)} – {_when(meeting.ends_at)}",
        meeting.place or meeting.online_url,
    ]
    return Document(
        title=_("Minutes: %(title)s") % {"title": meeting.title},
        language=meeting.minutes_language,
        meta=[line for line in meta if line],
        sections=sections,
    )


def adoption_vote(declaration: Declaration) -> Vote | None:
    """The closed vote that adopted the declaration's proposal (not one on an amendment)."""
    return (
        declaration.proposal.votes.filter(
            amendment__isnull=True, closed_at__isnull=False, tally__adopted=True
        )
        .select_related("tally", "meeting", "rules")
        .order_by("-closed_at")
        .first()
    )


def declaration_document(declaration: Declaration) -> Document:
    """The adopted text with its adoption record: meeting, vote, result, rules version."""
    vote = adoption_vote(declaration)
    tally = getattr(vote, "tally", None) if vote else None
    meeting = vote.meeting if vote and vote.meeting else None
    if meeting is None:
        item = declaration.proposal.agenda_items.select_related("meeting").first()
        meeting = item.meeting if item else None
    record = [
        [_("Kind"), declaration.get_kind_display()],
        [_("Body"), str(declaration.body)],
        [_("Meeting"), f"{meeting.title} ({_when(meeting.starts_at)})" if meeting else "—"],
        [_("Vote"), vote.title if vote else "—"],
        [_("Closed"), _when(vote.closed_at) if vote else "—"],
        [_("Result"), summary(vote, tally) if vote else "—"],
        [
            _("Weight that took part"),
            f"{tally.participating_weight} / {tally.total_weight}" if tally else "—",
        ],
        [_("Quorum met"), (_("Yes") if tally.quorum_met else _("No")) if tally else "—"],
        [_("Rules version"), str(tally.rules_version) if tally else "—"],
        [_("Published"), _when(declaration.published_at)],
    ]
    return Document(
        title=declaration.title,
        language=declaration.language,
        meta=[declaration.get_kind_display(), str(declaration.body)],
        sections=[
            Section(_("Text"), paragraphs=[declaration.text], language=declaration.language),
            Section(
                _("Adoption record"),
                tables=[Table(_("Adoption record"), [_("Detail"), _("Value")], record, True)],
            ),
        ],
    )


__all__ = [
    "Document",
    "Section",
    "Table",
    "declaration_document",
    "minutes_document",
    "render_html",
    "render_pdf",
]


# BLT


def election_for_blt(vote: Vote) -> core.RankedElection:
    """The closed secret ranked vote as an anonymous election: one ballot per distinct
    ranking, with the total weight of the ballots that chose it (blank ballots left out)."""
    vote.refresh_from_db(fields=["closed_at"])
    if vote.method not in RANKED_METHODS or not vote.secret or vote.closed_at is None:
        raise DomainError(
            _("Only closed secret ranked votes are exported as BLT."),
            "vote",
            code="blt_not_available",
        )
    totals: dict[tuple[str, ...], int] = {}
    for contents, weight in SecretBallot.objects.filter(vote=vote).values_list(
        "contents", "weight"
    ):
        if weight and not is_blank(contents):
            ranking = tuple(contents["ranking"])
            totals[ranking] = totals.get(ranking, 0) + weight
    return core.RankedElection(
        candidates=tuple(vote.choices),
        seats=vote.seats,
        ballots=tuple(
            core.RankedBallot(ranking, weight) for ranking, weight in sorted(totals.items())
        ),
        title=vote.title.replace('"', "'").replace("\n", " "),
    )


def write_blt_of(vote: Vote) -> str:
    """The anonymized BLT file of a closed secret ranked vote, as unit ballots.

    Each unit of weight is written as a ballot of its own ("1 2 3 0"), sorted by ranking:
    no line carries the weight of a seat, and the order says nothing about who voted when.
    (How many lines share a ranking is still the weight that chose it, as any recountable
    export must say; the rules' bound on seat weights keeps weights from naming a seat.)
    """
    return _as_unit_ballots(core.write_blt(election_for_blt(vote)))


def _as_unit_ballots(text: str) -> str:
    """Split each grouped ballot line of a BLT file ("3 2 1 0") into unit lines."""
    lines = text.splitlines()
    end = lines.index("0", 1)
    units: list[str] = []
    for line in lines[1:end]:
        weight, *ranking = line.split()
        if weight.startswith("-"):  # withdrawn candidates, not a ballot
            units.append(line)
            continue
        units.extend([" ".join(["1", *ranking])] * int(weight))
    return "\n".join([lines[0], *units, *lines[end:]]) + "\n"
