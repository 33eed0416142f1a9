"""What waits for a person in the exchange, for their home page: trade agreements their
organizations have not accepted yet, and deliveries they must confirm."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import ngettext

from minga.common.registration import Attention
from minga.registry.selectors import MANAGING_ROLES, organization_ids_with_role

from .models import Agreement, AgreementLine, AgreementStatus


def attention_for(user: Any) -> list[Attention]:
    acting_for = organization_ids_with_role(user, MANAGING_ROLES)
    if not acting_for:
        return []
    to_accept = (
        Agreement.objects.filter(
            status=AgreementStatus.PROPOSED,
            parties__organization_id__in=acting_for,
            parties__accepted_at__isnull=True,
        )
        .distinct()
        .count()
    )
    to_confirm = (
        AgreementLine.objects.filter(
            agreement__status=AgreementStatus.ACCEPTED,
            receiver_id__in=acting_for,
            delivered_at__isnull=True,
        )
        .values("agreement_id")
        .distinct()
        .count()
    )
    agreements = reverse("trade:agreements")
    return [
        Attention(
            text=ngettext(
                "%(counter)s trade agreement waits for your acceptance.",
                "%(counter)s trade agreements wait for your acceptance.",
                to_accept,
            )
            % {"counter": to_accept},
            url=agreements,
            count=to_accept,
        ),
        Attention(
            text=ngettext(
                "%(counter)s accepted agreement waits for you to confirm delivery.",
                "%(counter)s accepted agreements wait for you to confirm delivery.",
                to_confirm,
            )
            % {"counter": to_confirm},
            url=agreements,
            count=to_confirm,
        ),
    ]
