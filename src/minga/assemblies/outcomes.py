"""How a counted vote reads, in the reader's language.

The tally core explains its counts in English for the command line (``Round.note``,
``tie_breaks``). Pages and documents never show those sentences: they are built here from
the tally's structured data (counts, elected, eliminated, transfers, threshold …) with
gettext, and option names the app gave (yes / no / abstain, the consent positions) are
translated. Reads only; imports models, never services.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .models import Tally, Vote, VotingMethod

CHOICE_LABELS = {
    "yes": gettext_lazy("Yes"),
    "no": gettext_lazy("No"),
    "abstain": gettext_lazy("Abstain"),
    "consent": gettext_lazy("Consent"),
    "stand_aside": gettext_lazy("Stand aside"),
    "objection": gettext_lazy("Objection"),
    "block": gettext_lazy("Block"),
}
"""Options and positions the app names itself (candidates keep the names people gave)."""

APP_OPTIONS = frozenset(("yes", "no", "abstain"))


def method_label(method: str) -> str:
    return str(VotingMethod(method).label) if method in VotingMethod.values else method


def choice_label(vote: Vote, name: str) -> str:
    """An option or position in the reader's language, when the app named it."""
    if vote.method == VotingMethod.CONSENT or (
        name in APP_OPTIONS and set(vote.choices) <= APP_OPTIONS
    ):
        return str(CHOICE_LABELS.get(name, name))
    return name


def _share(value: Any) -> str:
    """A share as the rules write it ("1/2", "2/3"), whatever form the count stored."""
    try:
        return str(Fraction(str(value)))
    except (ValueError, ZeroDivisionError):
        return str(value)


def _names(vote: Vote, names: list[str]) -> str:
    return ", ".join(choice_label(vote, name) for name in names)


@dataclass
class RoundView:
    number: int
    counts: list[tuple[str, Any]]
    lines: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    """A counted vote as sentences and figures in the reader's language."""

    method: str
    headline: str
    lines: list[str]
    rounds: list[RoundView]
    positions: list[tuple[str, str]]


def _headline(vote: Vote, tally: Tally) -> str:
    if tally.adopted is True:
        return _("Adopted.")
    if tally.adopted is False:
        return _("Not adopted.")
    if vote.method == VotingMethod.CONSENT:
        return ""
    if tally.winners:
        return _("Elected or chosen: %(names)s.") % {"names": _names(vote, tally.winners)}
    return _("Nobody was elected or chosen.")


def _decision_lines(vote: Vote, tally: Tally, result: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    method = vote.method
    if method in (VotingMethod.MAJORITY, VotingMethod.QUALIFIED):
        values = {
            "share": _share(result.get("threshold", "1/2")),
            "valid": result.get("valid_votes", 0),
        }
        winners = list(result.get("winners", []))
        if method == VotingMethod.MAJORITY:
            if winners:
                lines.append(
                    _("“%(option)s” has more than %(share)s of the %(valid)s valid votes.")
                    % {**values, "option": choice_label(vote, winners[0])}
                )
            else:
                lines.append(
                    _("No option has more than %(share)s of the %(valid)s valid votes.") % values
                )
        elif winners:
            lines.append(
                _("“%(option)s” has at least %(share)s of the %(valid)s valid votes.")
                % {**values, "option": choice_label(vote, winners[0])}
            )
        else:
            lines.append(
                _("No option has at least %(share)s of the %(valid)s valid votes.") % values
            )
        if "abstain" in vote.choices:
            lines.append(_("Abstentions are recorded but are not valid votes."))
    elif method == VotingMethod.CONSENT:
        blocks = len(result.get("blocks", []))
        objections = len(result.get("objections", []))
        if result.get("adopted"):
            lines.append(_("Nobody blocked the proposal."))
        elif blocks:
            lines.append(
                ngettext(
                    "%(count)d block stopped the proposal.",
                    "%(count)d blocks stopped the proposal.",
                    blocks,
                )
                % {"count": blocks}
            )
        else:
            lines.append(_("Nobody took a position."))
        if objections:
            lines.append(
                ngettext(
                    "%(count)d objection was recorded.",
                    "%(count)d objections were recorded.",
                    objections,
                )
                % {"count": objections}
            )
    elif method == VotingMethod.SCHULZE:
        lines.append(_("Each round gives how many of the candidates left each one beats."))
    if "quota" in result:
        lines.append(_("Quota: %(quota)s votes.") % {"quota": result["quota"]})
    ranking = list(result.get("ranking", []))
    if ranking and method not in (VotingMethod.MAJORITY, VotingMethod.QUALIFIED):
        lines.append(_("Ranking: %(names)s.") % {"names": _names(vote, ranking)})
    if result.get("tie_breaks"):
        lines.append(
            _(
                "A tie was settled by the tie-break rule: the earlier counts first, "
                "then the order of the names."
            )
        )
    if tally.blank_weight:
        lines.append(_("Blank ballots: weight %(weight)d.") % {"weight": tally.blank_weight})
    if not tally.quorum_met:
        lines.append(_("The quorum was not met, so nothing was decided or elected."))
    return lines


def _round_lines(vote: Vote, record: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    elected = list(record.get("elected", []))
    if elected and vote.method == VotingMethod.SCHULZE:
        lines.append(_("Next in the ranking: %(names)s.") % {"names": _names(vote, elected)})
    elif elected and vote.method in (VotingMethod.IRV, VotingMethod.STV):
        lines.append(_("Elected: %(names)s.") % {"names": _names(vote, elected)})
    eliminated = list(record.get("eliminated", []))
    if eliminated:
        lines.append(_("Eliminated: %(names)s.") % {"names": _names(vote, eliminated)})
    source = record.get("transferred_from")
    if source:
        lines.append(
            _("The votes of %(name)s move to the next preferences.")
            % {"name": choice_label(vote, source)}
        )
    exhausted = record.get("exhausted", 0)
    if exhausted not in (0, "0", None):
        lines.append(_("Exhausted ballots: %(value)s.") % {"value": exhausted})
    return lines


def outcome_of(vote: Vote, tally: Tally) -> Outcome:
    result: dict[str, Any] = tally.result or {}
    rounds = [
        RoundView(
            number=int(record.get("number", index + 1)),
            counts=[
                (choice_label(vote, name), value)
                for name, value in (record.get("counts") or {}).items()
            ],
            lines=_round_lines(vote, record),
        )
        for index, record in enumerate(result.get("rounds", []))
    ]
    positions = [
        (str(CHOICE_LABELS.get(item.get("position", ""), "")), str(item.get("reason", "")))
        for key in ("blocks", "objections")
        for item in result.get(key, [])
        if item.get("reason")
    ]
    return Outcome(
        method=method_label(vote.method),
        headline=_headline(vote, tally),
        lines=_decision_lines(vote, tally, result),
        rounds=rounds,
        positions=positions,
    )


def summary(vote: Vote, tally: Tally | None) -> str:
    """One line for documents (minutes, adoption records): outcome and final counts."""
    if tally is None:
        return _("Not counted yet")
    outcome = outcome_of(vote, tally)
    headline = outcome.headline.rstrip(".") or "—"
    final = outcome.rounds[-1].counts if outcome.rounds else []
    figures = "; ".join(f"{label}: {value}" for label, value in final)
    return f"{headline} ({figures})" if figures else headline


def is_blank(contents: dict[str, Any]) -> bool:
    """Whether a ballot's contents are an explicit blank vote."""
    return contents.get("blank") is True
