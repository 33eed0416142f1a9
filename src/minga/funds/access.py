"""The access rule of the legal cases, plugged into the one visibility rule.

Registered on :class:`~minga.funds.models.LegalCase` with
``common.visibility.register_access_rule`` (in ``apps.py``). A case is read by its team and
nobody else: the rule *grants* a case to the members of its team and *restricts* every case
to them, binding superusers too — a server's administrators do not read the cases of a
fund's legal team by virtue of their role (nor do the fund's managers, unless they are on
the case's team).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Q

from minga.common.visibility import AccessRule, Viewer

NAME = "funds.cases.team"


def _team_q(model: type[models.Model], viewer: Viewer) -> Any:
    from .models import CaseMember

    if not viewer.is_authenticated or viewer.user_id is None:
        return Q(pk__in=[])
    return Exists(CaseMember.objects.filter(case_id=OuterRef("pk"), user_id=viewer.user_id))


RULE = AccessRule(
    name=NAME, grant=_team_q, restrict=_team_q, binds_superusers=True, viewer_only=True
)
