"""Education's access rule: a course's staff read it whatever its visibility.

A hidden course (visibility: named custodians) is read by its custodians through the base
rule; this rule opens it also to the coordinators of its school's organization (in the
registry) and to the teachers of its cohorts. Everyone else never sees it, in lists, pages,
the API or the calendar.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q

from minga.common.visibility import AccessRule, Viewer
from minga.registry.selectors import DECIDING_ROLES, organization_ids_with_role


def _staff(model: type[Any], viewer: Viewer) -> Any:
    if not viewer.is_authenticated or viewer.user_id is None:
        return None
    from django.contrib.auth import get_user_model

    from .models import Cohort

    user = get_user_model()(pk=viewer.user_id)
    user.is_active = True
    coordinating = organization_ids_with_role(user, DECIDING_ROLES)
    teaching = Cohort.teachers.through.objects.filter(
        user_id=viewer.user_id, cohort__course_id=OuterRef("pk")
    )
    return Q(school__organization_id__in=coordinating) | Exists(teaching)


RULE = AccessRule(name="education.staff", grant=_staff)
