"""Opening a seed bank and changing its alert thresholds."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from minga.common import audit
from minga.common.errors import DomainError
from minga.common.permissions import guarded

from .. import tally
from ..audit_events import SeedsEvent
from ..mcpd import country_codes
from ..models import Lot, SeedBank
from .lots import _refresh_risk

INSTCODE = re.compile(r"^([A-Z]{3})\d{3,}$")


@dataclass
class BankData:
    name: str
    instcode: str
    place: str = ""
    first_test_months: int = 12
    minimum_initial_germination: int = 85
    regeneration_fraction: int = 85
    seeds_per_sowing: int = 100
    minimum_sowings: int = 3
    monitoring_months: int = 60


def _apply(bank: SeedBank, data: BankData) -> None:
    if not data.name.strip():
        raise DomainError(_("Give the seed bank a name."), "name", code="name_required")
    instcode = data.instcode.strip().upper()
    match = INSTCODE.match(instcode)
    if not match or match.group(1) not in country_codes():
        raise DomainError(
            _("An institute code is three letters of a country and three digits, such as PER001."),
            "instcode",
            code="invalid_instcode",
        )
    for name, value in asdict(data).items():
        setattr(bank, name, value.strip() if isinstance(value, str) else value)
    bank.instcode = instcode
    try:
        bank.full_clean(exclude=["uuid", "organization"])
    except ValidationError as error:
        name, messages = next(iter(error.message_dict.items()))
        raise DomainError(" ".join(messages), name, code="invalid_field") from error


@guarded("seeds.bank.create", on="organization")
@transaction.atomic
def bank_create(*, actor: Any, organization: Any, data: BankData) -> SeedBank:
    bank = SeedBank(organization=organization)
    _apply(bank, data)
    bank.save()
    audit.record(actor=actor, action=SeedsEvent.BANK_CREATE, target=bank)
    return bank


@guarded("seeds.bank.manage", on="bank")
@transaction.atomic
def bank_update(*, actor: Any, bank: SeedBank, data: BankData) -> SeedBank:
    before = {name: getattr(bank, name) for name in asdict(data)}
    _apply(bank, data)
    bank.save()
    after = {name: getattr(bank, name) for name in asdict(data)}
    if before["regeneration_fraction"] != after["regeneration_fraction"]:
        tested = Lot.objects.filter(accession__bank=bank, tests__isnull=False).distinct()
        _refresh_risk(tested.select_related("accession__bank"))
    minimum = ("seeds_per_sowing", "minimum_sowings")
    if any(before[name] != after[name] for name in minimum):
        tally.recount(bank.pk)  # which accessions have few seeds is counted anew
    audit.record(
        actor=actor,
        action=SeedsEvent.BANK_UPDATE,
        target=bank,
        changes=audit.field_changes(before, after),
    )
    return bank
