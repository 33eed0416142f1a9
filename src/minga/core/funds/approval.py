"""Approval rules of a fund's spending, as data and pure decisions.

A fund keeps one rule for spending within its budget. Spending that would take a
category's committed total for the year beyond its budget (or that has no budget line at
all) needs the next higher rule: one manager → two managers → a vote of a body.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass


class ApprovalRule(enum.StrEnum):
    ONE_MANAGER = "one_manager"
    TWO_MANAGERS = "two_managers"  # four eyes: two managers, the requester approves not
    BODY_VOTE = "body_vote"  # a vote of a body, its result attached


_ORDER = (ApprovalRule.ONE_MANAGER, ApprovalRule.TWO_MANAGERS, ApprovalRule.BODY_VOTE)

MANAGERS_NEEDED = {ApprovalRule.ONE_MANAGER: 1, ApprovalRule.TWO_MANAGERS: 2}


def higher_rule(rule: ApprovalRule) -> ApprovalRule:
    """The next stricter rule (a body's vote is the strictest)."""
    return _ORDER[min(_ORDER.index(rule) + 1, len(_ORDER) - 1)]


def rule_for(
    base: ApprovalRule, *, budget: int | None, committed: int, amount: int
) -> ApprovalRule:
    """The rule a spending of ``amount`` needs, when ``committed`` is already approved in
    its category and year against ``budget`` (None: the category has no budget)."""
    if amount <= 0:
        raise ValueError("a spending's amount is positive")
    if budget is None or committed + amount > budget:
        return higher_rule(base)
    return base


class ApprovalRefusal(Exception):  # noqa: N818 - a refusal is an answer, not a failure
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def check_approver(
    rule: ApprovalRule, *, requester: int, approvers: Iterable[int], approver: int
) -> None:
    """Refuse an approval the rule does not take: the requester's own (``self_approval``),
    a second one by the same manager (``already_approved``), any manager's approval under a
    body's vote (``vote_required``)."""
    if rule is ApprovalRule.BODY_VOTE:
        raise ApprovalRefusal("vote_required")
    if approver == requester and rule is ApprovalRule.TWO_MANAGERS:
        raise ApprovalRefusal("self_approval")
    if approver in set(approvers):
        raise ApprovalRefusal("already_approved")


@dataclass(frozen=True)
class ApprovalStatus:
    approved: bool
    missing: int  # approvals still needed (0 for a vote that passed or failed)
    refused: bool = False  # a body voted against


def status_of(
    rule: ApprovalRule,
    *,
    requester: int,
    approvers: Iterable[int],
    vote_passed: bool | None,
    requester_manages: bool = False,
) -> ApprovalStatus:
    """Whether the approvals given meet ``rule``.

    Under two managers (four eyes) two different managers agree: a requester who manages
    the fund agrees by asking, so one other manager's approval completes it; a request
    made by someone else (a legal case's lawyer) needs two managers' approvals. The
    requester's own approval never counts. Under one manager, one approval, which may be
    the requester's."""
    if rule is ApprovalRule.BODY_VOTE:
        if vote_passed is None:
            return ApprovalStatus(False, 1)
        return ApprovalStatus(vote_passed, 0, refused=not vote_passed)
    valid = set(approvers)
    needed = MANAGERS_NEEDED[rule]
    if rule is ApprovalRule.TWO_MANAGERS:
        valid.discard(requester)
        if requester_manages:
            needed -= 1
    missing = max(needed - len(valid), 0)
    return ApprovalStatus(missing == 0, missing)
