"""Declarations and resolutions, and the endorsements of organizations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minga.assemblies.audit_events import AssembliesEvent
from minga.common import audit
from minga.common.errors import DomainError
from minga.common.permissions import guarded
from minga.registry.selectors import (
    MANAGING_ROLES,
    is_member_in_good_standing,
    organization_ids_with_role,
)

from .. import selectors
from ..models import (
    Declaration,
    DeclarationKind,
    Endorsement,
    Proposal,
    ProposalStatus,
)
from .base import _declaration_of, _storable

if TYPE_CHECKING:
    from minga.registry.models import Organization

# Declarations and endorsements


@guarded("assemblies.declaration.publish", on="proposal")
@transaction.atomic
def declaration_publish(
    *, actor: Any, proposal: Proposal, kind: str = DeclarationKind.RESOLUTION
) -> Declaration:
    """Publish an adopted proposal as a resolution or declaration (once; again returns it)."""
    proposal = Proposal.objects.select_for_update(of=("self",)).get(pk=proposal.pk)
    existing = Declaration.objects.filter(proposal=proposal).first()
    if existing is not None:
        return existing
    if proposal.status != ProposalStatus.ADOPTED:
        raise DomainError(
            _("Only an adopted proposal can be published."), "proposal", code="proposal_not_adopted"
        )
    if kind not in DeclarationKind.values:
        raise DomainError(_("Unknown kind of text."), "kind", code="unknown_declaration_kind")
    declaration = Declaration.objects.create(
        body=proposal.body,
        proposal=proposal,
        kind=kind,
        title=proposal.title,
        text=selectors.current_version(proposal).text,
        language=proposal.language,
        published_at=timezone.now(),
        published_by=actor,
        visibility=proposal.visibility,
    )
    declaration.visible_to_organizations.set(proposal.visible_to_organizations.all())
    audit.record(
        actor=actor,
        action=AssembliesEvent.DECLARATION_PUBLISH,
        target=declaration,
        changes={"kind": [None, kind]},
    )
    return declaration


def _speaks_for(actor: Any, organization: Organization) -> None:
    if organization.pk not in organization_ids_with_role(actor, MANAGING_ROLES):
        raise DomainError(
            _("Only a spokesperson, coordinator or administrator speaks for this organization."),
            "organization",
            code="not_speaking_for_organization",
        )


@guarded("assemblies.declaration.endorse", on="declaration")
@transaction.atomic
def endorsement_add(
    *, actor: Any, declaration: Declaration, organization: Organization
) -> Endorsement:
    """An organization signs, by a person holding a role that speaks for it; signing again
    while the signature stands returns it.

    Only members in good standing sign (a current, approved membership of a network): an
    organization registered through the join form cannot add to the count while its
    request is pending.
    """
    _speaks_for(actor, organization)
    if not is_member_in_good_standing(organization):
        raise DomainError(
            _(
                "“%(organization)s” is not a member in good standing of a network (its "
                "membership is pending, suspended or ended), so it cannot endorse."
            )
            % {"organization": organization.name},
            "organization",
            code="organization_not_in_good_standing",
        )
    existing = Endorsement.objects.filter(
        declaration=declaration, organization=organization, withdrawn_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    endorsement = Endorsement.objects.create(
        declaration=declaration,
        organization=organization,
        endorsed_by=actor,
        endorsed_at=timezone.now(),
    )
    audit.record(
        actor=actor,
        action=AssembliesEvent.ENDORSEMENT_ADD,
        target=declaration,
        changes={"organization": [None, str(organization)]},
    )
    return endorsement


@guarded("assemblies.declaration.endorse", on="endorsement", via=_declaration_of)
@transaction.atomic
def endorsement_withdraw(*, actor: Any, endorsement: Endorsement, reason: str = "") -> Endorsement:
    """Withdraw a signature; the row stays, with when and why, for the history."""
    endorsement = (
        Endorsement.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=endorsement.pk)
    )
    _speaks_for(actor, endorsement.organization)
    _storable(reason, "reason")
    if endorsement.withdrawn_at is not None:
        raise DomainError(
            _("This endorsement was already withdrawn."),
            "endorsement",
            code="endorsement_already_withdrawn",
        )
    endorsement.withdrawn_at = timezone.now()
    endorsement.withdrawn_by = actor
    endorsement.withdrawal_reason = reason.strip()
    endorsement.save(
        update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason", "updated_at"]
    )
    audit.record(
        actor=actor,
        action=AssembliesEvent.ENDORSEMENT_WITHDRAW,
        target=endorsement.declaration,
        changes={"organization": [str(endorsement.organization), None]},
        reason=reason,
    )
    return endorsement
