"""Every write is guarded: each public service function declares its permission rule (or says
why it needs none), and each guarded one refuses strangers and anonymous callers before it
writes anything. Pages, API, CLI and tasks all reach writes through these functions."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import typing
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from minga.common.models import AuditEntry
from tests import factories
from tests.market import factories as market

APPS = ["people", "registry", "market", "exchange", "assemblies", "federation", "comms"]
SHARED_WRITES = ["minga.common.vocabulary"]

# Rules that every signed-in person passes on purpose (checked with anonymous callers only).
OPEN_TO_EVERY_SIGNED_IN_PERSON = {"registry.join.submit", "comms.volunteer.register"}


def _service_modules() -> Iterator[Any]:
    for app in APPS:
        package = importlib.import_module(f"minga.{app}.services")
        yield package
        if hasattr(package, "__path__"):
            for info in pkgutil.iter_modules(package.__path__):
                yield importlib.import_module(f"{package.__name__}.{info.name}")
    for name in SHARED_WRITES:
        yield importlib.import_module(name)


def _public_writes() -> list[tuple[str, Callable[..., Any]]]:
    found: dict[str, Callable[..., Any]] = {}
    for module in _service_modules():
        for name, function in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(function):
                continue
            if function.__module__ != module.__name__:
                continue  # re-exported by a package: counted where it is defined
            if module.__name__.startswith("minga.common.") and not hasattr(
                function, "permission_rule"
            ):
                continue  # shared modules mix reads and helpers; only their guarded writes count
            found[f"{module.__name__}.{name}"] = function
    return sorted(found.items())


def test_every_public_service_function_declares_its_permission() -> None:
    undeclared = [
        name
        for name, function in _public_writes()
        if not hasattr(function, "permission_rule") and not hasattr(function, "unguarded_reason")
    ]
    assert undeclared == []


def test_declared_rules_exist() -> None:
    from minga.common.permissions import registered_rules

    known = set(registered_rules())
    unknown = [
        (name, function.permission_rule)
        for name, function in _public_writes()
        if hasattr(function, "permission_rule") and function.permission_rule not in known
    ]
    assert unknown == []


MODEL_OF_ARGUMENT = {
    "organization": "registry.Organization",
    "member": "registry.Organization",
    "network": "registry.Organization",
    "relation": "registry.OrganizationRelation",
    "role": "registry.Role",
    "body": "registry.Body",
    "user": "people.User",
    "listing": "market.Listing",
    "photo": "market.ListingPhoto",
    "follow": "federation.Follow",
    "bulletin": "comms.Bulletin",
    "media": "comms.BulletinMedia",
    "translation": "comms.BulletinTranslation",
    "campaign": "comms.Campaign",
    "event": "comms.Event",
    "proposer": "registry.Organization",
    "receiver": "registry.Organization",
    "unit": "exchange.Unit",
    "account": "exchange.Account",
    "clearing_round": "exchange.ClearingRound",
}


def _world() -> dict[str, Any]:
    """One object of each kind a guarded write may be asked about, owned by someone else."""
    from minga.exchange.models import Account, ClearingRound, Unit
    from minga.market.models import ListingPhoto
    from minga.registry.models import Body

    owner = factories.person("owner")
    network = factories.organization(kind="network", name="Red")
    commune = factories.organization(name="Comuna")
    factories.role(owner, commune, "coordinator")
    relation = factories.membership(commune, network)
    role = factories.role(owner, network, "coordinator")
    listing = market.listing(commune)
    photo = ListingPhoto.objects.create(listing=listing, width=1, height=1, image="x.png")
    body = Body.objects.create(organization=network, kind="congress", slug="c", name="Congreso")
    comms_objects = _comms_world(commune, owner)
    unit = Unit.objects.create(code="RED", name="Red", kind="community", network=network)
    account = Account.objects.create(organization=commune, unit=unit, lowest_balance=0)
    clearing_round = ClearingRound.objects.create(
        network=network, unit=unit, consent_rule="coordinator"
    )
    return {
        **comms_objects,
        "registry.Organization": commune,
        "registry.OrganizationRelation": relation,
        "registry.Role": role,
        "registry.Body": body,
        "people.User": owner,
        "market.Listing": listing,
        "market.ListingPhoto": photo,
        "exchange.Unit": unit,
        "exchange.Account": account,
        "exchange.ClearingRound": clearing_round,
    }


def _comms_world(organization: Any, owner: Any) -> dict[str, Any]:
    """A followed organization, a bulletin with a file and a translation, a campaign and an
    event of ``organization``, made as the server."""
    from minga.comms.models import BulletinMedia, BulletinTranslation
    from minga.federation.models import Follow
    from tests.comms import factories as comms

    bulletin = comms.bulletin(organization)
    other = factories.organization(name="Otra")
    return {
        "federation.Follow": Follow.objects.create(
            follower_organization=organization, target_organization=other, state="accepted"
        ),
        "comms.Bulletin": bulletin,
        "comms.BulletinMedia": BulletinMedia.objects.create(bulletin=bulletin, kind="document"),
        "comms.BulletinTranslation": BulletinTranslation.objects.create(
            bulletin=bulletin, language="pt", translator=owner, stage="in_progress"
        ),
        "comms.Campaign": comms.campaign(organization),
        "comms.Event": comms.event(organization),
    }


def _target_for(function: Callable[..., Any], world: dict[str, Any]) -> dict[str, Any]:
    parameter = function.permission_target  # type: ignore[attr-defined]
    if parameter is None:
        return {}
    model = MODEL_OF_ARGUMENT.get(parameter)
    if model is None:
        hints = typing.get_type_hints(inspect.unwrap(function))
        hint = hints.get(parameter)
        model = f"{hint._meta.app_label}.{hint.__name__}" if hasattr(hint, "_meta") else None
    assert model in world, f"no {parameter} to try {function.__qualname__} on"
    return {parameter: world[model]}


@pytest.mark.django_db
def test_guarded_writes_refuse_strangers_and_anonymous_callers_before_writing() -> None:
    """Each guarded function, called about someone else's object, raises PermissionDenied and
    leaves no audit entry, whatever its other arguments would have been."""
    world = _world()
    stranger = factories.person("stranger")
    before = AuditEntry.objects.count()
    checked = 0
    for _name, function in _public_writes():
        rule = getattr(function, "permission_rule", None)
        if rule is None:
            continue
        callers = [AnonymousUser()]
        if rule not in OPEN_TO_EVERY_SIGNED_IN_PERSON:
            callers.append(stranger)
        signature = inspect.signature(inspect.unwrap(function))
        for caller in callers:
            arguments: dict[str, Any] = {
                parameter: None
                for parameter, spec in signature.parameters.items()
                if spec.default is inspect.Parameter.empty
            }
            arguments.update(_target_for(function, world))
            arguments[function.permission_actor] = caller  # type: ignore[attr-defined]
            with pytest.raises(PermissionDenied):
                function(**arguments)
            checked += 1
    assert checked > 20
    assert AuditEntry.objects.count() == before
