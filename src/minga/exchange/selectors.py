"""Reads of the exchange that users see: units, accounts and their journals.

Every list and every object shown by the pages and the API comes from here, filtered by
the same rules as ``rules.py``: an account is seen by the people of its organization and
by the coordinators of the network that issues its unit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from minga.registry.selectors import (
    ANY_ROLE,
    DECIDING_ROLES,
    MANAGING_ROLES,
    is_network_member,
    network_ids_with_role,
    network_member_ids,
    organization_ids_with_role,
    visible_organizations,
)

from .models import (
    Account,
    Agreement,
    AgreementParty,
    BarterRound,
    ClearingRound,
    ClearingSetoff,
    Obligation,
    ObligationStatus,
    Transfer,
    Unit,
)

if TYPE_CHECKING:
    from minga.registry.models import Organization


def _is_signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def visible_accounts(user: Any) -> QuerySet[Account]:
    """Accounts of the user's organizations and of the units the user's networks issue.

    Designated accounts (a fund's) are read through the service that owns them, with its
    own readers (a fund only its managers see stays unseen here too)."""
    accounts = Account.objects.select_related("organization", "unit__network")
    if not _is_signed_in(user):
        return accounts.none()
    if user.is_superuser:
        return accounts
    return accounts.filter(purpose="").filter(
        Q(organization_id__in=organization_ids_with_role(user, ANY_ROLE))
        | Q(unit__network_id__in=organization_ids_with_role(user, DECIDING_ROLES))
    )


def get_account_for(user: Any, uuid: Any) -> Account:
    """The account if the user may see it; otherwise 404, as if it did not exist."""
    account = visible_accounts(user).filter(uuid=uuid).first()
    if account is None:
        raise Http404
    return account


def accounts_of_user_organizations(user: Any) -> QuerySet[Account]:
    """The accounts of the organizations in which the user holds a current role."""
    if not _is_signed_in(user):
        return Account.objects.none()
    return Account.objects.filter(
        organization_id__in=organization_ids_with_role(user, ANY_ROLE), purpose=""
    ).select_related("organization", "unit")


def account_journal(account: Account) -> QuerySet[Transfer]:
    """Entries that touch the account, newest first, with what a list shows preloaded."""
    return (
        Transfer.objects.filter(Q(debit=account) | Q(credit=account))
        .select_related(
            "debit__organization",
            "credit__organization",
            "unit",
            "pending",
            "reverses",
            "submitted_by",
            "access_token",
        )
        .order_by("-sequence")
    )


def unit_scale(code: str) -> int | None:
    """The decimal places of the unit with this code (for ``common.money``), or None."""
    return Unit.objects.filter(code=code).values_list("scale", flat=True).first()


def visible_units(user: Any) -> QuerySet[Unit]:
    """Units issued by networks the user may see."""
    return Unit.objects.filter(network__in=visible_organizations(user)).select_related("network")


def units_managed_by(user: Any) -> QuerySet[Unit]:
    units = Unit.objects.select_related("network").order_by("code")
    if not _is_signed_in(user):
        return units.none()
    if user.is_superuser:
        return units
    return units.filter(network_id__in=organization_ids_with_role(user, DECIDING_ROLES))


def networks_managed_by(user: Any) -> QuerySet[Organization]:
    """Networks in which the user may create units."""
    networks = visible_organizations(user).filter(kind="network").order_by("name")
    if not _is_signed_in(user):
        return networks.none()
    if user.is_superuser:
        return networks
    return networks.filter(pk__in=network_ids_with_role(user))


def unit_by_code(code: str) -> Unit | None:
    return Unit.objects.select_related("network").filter(code=code).first()


def unit_accounts(unit: Unit) -> QuerySet[Account]:
    """Every organization's own account in a unit, by organization name (for the unit's
    coordinators; designated accounts, such as funds', are managed by their service)."""
    return (
        Account.objects.filter(unit=unit, purpose="")
        .select_related("organization", "unit")
        .order_by("organization__name", "id")
    )


def recipient_accounts(account: Account) -> QuerySet[Account]:
    """Accounts the account may pay: the others in its unit that are an organization's own
    (money reaches a designated account, such as a fund's, only through its own service)."""
    return unit_accounts(account.unit).exclude(pk=account.pk)


def payee_organizations(user: Any, account: Account) -> QuerySet[Organization]:
    """The organizations the account may pay (an account in its unit) that the user may see."""
    return visible_organizations(user).filter(
        pk__in=recipient_accounts(account).values("organization_id")
    )


def member_organizations_without_account(unit: Unit, user: Any) -> QuerySet[Organization]:
    """Current members of the unit's network (and the network itself) that the user may see
    and that have no account in the unit yet."""
    has_account = Account.objects.filter(organization_id=OuterRef("pk"), unit=unit, purpose="")
    return (
        visible_organizations(user)
        .filter(Q(pk=unit.network_id) | Q(pk__in=network_member_ids(unit.network_id)))
        .exclude(Exists(has_account))
        .order_by("name", "id")
    )


def own_account(organization: Any, unit: Unit) -> Account | None:
    """The organization's own account in the unit (not one it holds for a purpose)."""
    return Account.objects.filter(organization=organization, unit=unit, purpose="").first()


def may_hold_account(organization: Organization, unit: Unit) -> bool:
    """A unit's accounts are for the current members of its network and the network itself."""
    return organization.pk == unit.network_id or is_network_member(organization, unit.network_id)


def get_unit_for(user: Any, uuid: Any) -> Unit:
    unit = visible_units(user).filter(uuid=uuid).first()
    if unit is None:
        raise Http404
    return unit


def visible_agreements(user: Any) -> QuerySet[Agreement]:
    """Agreements are seen by their parties' people and by the coordinators of the
    organization that proposed them (the network of a barter round)."""
    agreements = Agreement.objects.select_related("unit", "proposed_by")
    if not _is_signed_in(user):
        return agreements.none()
    if user.is_superuser:
        return agreements
    members_of = organization_ids_with_role(user, (*MANAGING_ROLES, "member", "delegate"))
    party = AgreementParty.objects.filter(agreement=OuterRef("pk"), organization_id__in=members_of)
    coordinates = organization_ids_with_role(user, DECIDING_ROLES)
    return agreements.filter(Q(Exists(party)) | Q(proposed_by_id__in=coordinates))


def get_agreement_for(user: Any, uuid: Any) -> Agreement:
    """The agreement if the user may see it (:func:`visible_agreements`); otherwise 404."""
    agreement = visible_agreements(user).filter(uuid=uuid).first()
    if agreement is None:
        raise Http404
    return agreement


def open_obligations(unit: Unit, organization_ids: set[int] | None = None) -> Any:
    """Obligations in ``unit`` with something left to pay, among ``organization_ids`` if
    given (both debtor and creditor), with their organizations."""
    obligations = Obligation.objects.filter(
        unit=unit, status=ObligationStatus.OPEN, remaining__gt=0
    )
    if organization_ids is not None:
        obligations = obligations.filter(
            debtor_id__in=organization_ids, creditor_id__in=organization_ids
        )
    return obligations.select_related("debtor", "creditor")


def network_and_member_ids(network: Any) -> set[int]:
    """The network and its current members (the registry's one definition of membership)."""
    return {network.pk, *(row["member_id"] for row in network_member_ids(network))}


def missing_consents(clearing_round: ClearingRound) -> set[int]:
    """The participants whose consent a round still waits for (none under the coordinator
    rule)."""
    if clearing_round.consent_rule == "coordinator":
        return set()
    given = set(
        clearing_round.consents.filter(consents=True).values_list("organization_id", flat=True)
    )
    return clearing_round_participants(clearing_round) - given


def clearing_round_participants(clearing_round: ClearingRound) -> set[int]:
    """The organizations whose obligations the round sets off."""
    ids: set[int] = set()
    for debtor, creditor in clearing_round.setoffs.values_list(
        "obligation__debtor_id", "obligation__creditor_id"
    ):
        ids |= {debtor, creditor}
    return ids


def visible_clearing_rounds(user: Any) -> QuerySet[ClearingRound]:
    """Rounds are seen by the coordinators of their network and by the people who speak for
    an organization taking part."""
    rounds = ClearingRound.objects.select_related("unit", "network")
    if not _is_signed_in(user):
        return rounds.none()
    if user.is_superuser:
        return rounds
    speaks_for = organization_ids_with_role(user, MANAGING_ROLES)
    takes_part = ClearingSetoff.objects.filter(round=OuterRef("pk")).filter(
        Q(obligation__debtor_id__in=speaks_for) | Q(obligation__creditor_id__in=speaks_for)
    )
    return rounds.filter(
        Q(network_id__in=organization_ids_with_role(user, DECIDING_ROLES)) | Q(Exists(takes_part))
    )


def get_clearing_round_for(user: Any, uuid: Any) -> ClearingRound:
    """The round if the user may see it (:func:`visible_clearing_rounds`); anyone else gets
    404, as if it did not exist."""
    clearing_round = visible_clearing_rounds(user).filter(uuid=uuid).first()
    if clearing_round is None:
        raise Http404
    return clearing_round


def visible_barter_rounds(user: Any) -> QuerySet[BarterRound]:
    """Barter rounds are seen by the coordinators of their network."""
    rounds = BarterRound.objects.select_related("network")
    if not _is_signed_in(user):
        return rounds.none()
    if user.is_superuser:
        return rounds
    return rounds.filter(network_id__in=organization_ids_with_role(user, DECIDING_ROLES))
