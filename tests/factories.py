"""Small factories for tests: real rows made through the models, with sensible defaults."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from minga.common.models import Visibility
from minga.common.visibility import forget_viewer
from minga.people.models import User
from minga.registry.models import (
    Organization,
    OrganizationRelation,
    Region,
    RelationStatus,
    Role,
)

_numbers = itertools.count(1)
PASSWORD = "una-clave-larga-de-prueba"


def person(username: str | None = None, **fields: Any) -> User:
    number = next(_numbers)
    user = User(
        username=username or f"person-{number}",
        display_name=fields.pop("display_name", f"Person {number}"),
        **fields,
    )
    user.set_password(PASSWORD)
    user.save()
    return user


def organization(
    *,
    name: str | None = None,
    kind: str = "commune",
    slug: str | None = None,
    country: str = "VE",
    region: str = "south-america",
    visibility: str = Visibility.PUBLIC,
    visible_to: list[Organization] | None = None,
    custodians: list[User] | None = None,
    **fields: Any,
) -> Organization:
    number = next(_numbers)
    org = Organization.objects.create(
        name=name or f"Organización {number}",
        slug=slug or f"org-{number}",
        kind=kind,
        country=country,
        region=Region.objects.get(code=region),
        visibility=visibility,
        **fields,
    )
    if visible_to:
        org.visible_to_organizations.set(visible_to)
    if custodians:
        org.custodians.set(custodians)
    return org


def role(
    who: User,
    where: Organization,
    kind: str = "member",
    *,
    started_on: date | None = None,
    ended_on: date | None = None,
) -> Role:
    made = Role.objects.create(
        person=who,
        organization=where,
        kind=kind,
        started_on=started_on or timezone.localdate() - timedelta(days=30),
        ended_on=ended_on,
    )
    # The roles a person holds are cached on the person object for one request; a test that
    # goes on with the same object must see the new role, as the next request would.
    forget_viewer(who)
    return made


def membership(
    member: Organization, network: Organization, status: str = RelationStatus.ACTIVE
) -> OrganizationRelation:
    return OrganizationRelation.objects.create(
        member=member,
        parent=network,
        kind="member_of",
        status=status,
        started_on=timezone.localdate(),
    )


def verified_client(user: User) -> Client:
    """A client signed in with a confirmed authenticator, as coordinators must be."""
    client = Client()
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def second_factor(user: User) -> TOTPDevice:
    """A confirmed authenticator, as anyone who must use a second factor has set up."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, name="test", defaults={"confirmed": True}
    )
    return device


def api_token(user: User, *, scope: str = "write", name: str = "test") -> str:
    """The secret of a personal access token, made as its owner would make it: people who
    must use a second factor have set one up first."""
    from minga.people.services import access_token_create
    from minga.people.two_factor import two_factor_required

    if two_factor_required(user):
        second_factor(user)
    _token, secret = access_token_create(user=user, name=name, scope=scope)
    return secret


def today() -> date:
    from django.utils import timezone

    return timezone.localdate()
