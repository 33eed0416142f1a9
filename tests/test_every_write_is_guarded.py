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

APPS = [
    "people", "registry", "market", "exchange", "assemblies", "library", "federation", "comms", "seeds",
    "funds", "education",
]  # fmt: skip
SHARED_WRITES = ["minga.common.vocabulary"]

# Rules that every signed-in person passes on purpose (checked with anonymous callers only).
OPEN_TO_EVERY_SIGNED_IN_PERSON = {
    "registry.join.submit",
    "library.protocol.request",
    "comms.volunteer.register",
    "education.cohort.apply",
}


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
    "community": "registry.Organization",
    "source": "library.Item",
    "link": "library.ItemLink",
    "request": "library.AccessRequest",
    "library.translation": "library.ItemTranslation",
    "follow": "federation.Follow",
    "bulletin": "comms.Bulletin",
    "media": "comms.BulletinMedia",
    "comms.translation": "comms.BulletinTranslation",
    "campaign": "comms.Campaign",
    "event": "comms.Event",
    "proposer": "registry.Organization",
    "receiver": "registry.Organization",
    "unit": "exchange.Unit",
    "account": "exchange.Account",
    "clearing_round": "exchange.ClearingRound",
    "proposal": "assemblies.Proposal",
    "amendment": "assemblies.Amendment",
    "debate": "assemblies.DebateSpace",
    "declaration": "assemblies.Declaration",
    "endorsement": "assemblies.Endorsement",
    "delegator": "assemblies.BodyMembership",
    "delegation": "assemblies.Delegation",
    "meeting": "assemblies.Meeting",
    "table": "assemblies.WorkingTable",
    "vote": "assemblies.Vote",
    "result": "assemblies.FollowUpResult",
    "milestone": "assemblies.Milestone",
    "agenda_item": "assemblies.AgendaItem",
    "bank": "seeds.SeedBank",
    "accession": "seeds.Accession",
    "lot": "seeds.Lot",
    "regeneration": "seeds.Regeneration",
    "seed_request": "seeds.SeedRequest",
    "fund": "funds.Fund",
    "funds.movement": "funds.Movement",
    "funds.pledge": "funds.Pledge",
    "funds.case": "funds.LegalCase",
    "funds.case_date": "funds.CaseDate",
    "funds.document": "funds.CaseDocument",
    "school": "education.School",
    "course": "education.Course",
    "cohort": "education.Cohort",
    "enrolment": "education.Enrolment",
    "certificate": "education.Certificate",
    "education.session": "education.Session",
    "education.module": "education.CourseModule",
    "education.lesson": "education.Lesson",
    "education.material": "education.LessonMaterial",
    "education.submission": "education.Submission",
    "education.assignment": "education.Assignment",
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
        **_seeds_world(commune, owner),
        **_funds_world(commune, owner, unit),
        **_library_world(commune, owner),
        **_assemblies_world(owner, commune, body),
        **comms_objects,
        **_education_world(commune),
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


def _seeds_world(commune: Any, owner: Any) -> dict[str, Any]:
    """A seed bank of the commune with an accession, a lot, a grow-out and a request from
    a neighbour commune, made as the server."""
    from datetime import date
    from decimal import Decimal

    from minga.common.permissions import SYSTEM
    from minga.seeds import services

    bank = services.bank_create(
        actor=SYSTEM, organization=commune, data=services.BankData(name="B", instcode="VEN001")
    )
    accession = services.accession_create(
        actor=SYSTEM,
        bank=bank,
        data=services.AccessionData(mcpd={"ACCENUMB": "A1", "GENUS": "Zea"}),
    )
    lot = services.lot_create(
        actor=SYSTEM,
        accession=accession,
        data=services.LotData(
            code="L1",
            received_on=date(2025, 1, 1),
            storage_temperature=Decimal(5),
            moisture_percent=Decimal(8),
            seeds=1000,
        ),
    )
    regeneration = services.regeneration_plan(
        actor=SYSTEM,
        lot=lot,
        grower=commune,
        place="Chacra",
        sow_on=date(2025, 2, 1),
        plants=10,
        seeds_used=20,
    )
    seed_request = services.request_create(
        actor=SYSTEM,
        lot=lot,
        requester=factories.organization(name="Vecina"),
        data=services.RequestData(seeds=10, conditions_accepted=True),
    )
    return {
        "seeds.SeedBank": bank,
        "seeds.Accession": accession,
        "seeds.Lot": lot,
        "seeds.Regeneration": regeneration,
        "seeds.SeedRequest": seed_request,
    }


def _funds_world(commune: Any, owner: Any, unit: Any) -> dict[str, Any]:
    """A fund only its managers see (the owner manages it), a pledge and a request."""
    from minga.common.permissions import SYSTEM
    from minga.funds import services

    fund = services.fund_create(
        actor=SYSTEM,
        organization=commune,
        data=services.FundData(
            name="Fondo", purpose="P", unit=unit, transparency="managers", managers=[owner]
        ),
    )
    pledge = services.pledge_create(actor=owner, fund=fund, amount=5)
    services.budget_set(actor=owner, fund=fund, category="x", year=2026, amount=10)
    movement = services.contribution_receive(actor=owner, fund=fund, amount=5)
    case = services.case_open(
        actor=owner,
        fund=fund,
        data=services.CaseData(pseudonym="R", country="MX", kind="asylum"),
    )
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile

    case_date = services.date_add(
        actor=owner, case=case, kind="hearing", on=date(2030, 1, 1), what="w"
    )
    document = services.document_add(
        actor=owner,
        case=case,
        upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
    )
    return {
        "funds.Fund": fund,
        "funds.Pledge": pledge,
        "funds.Movement": movement,
        "funds.LegalCase": case,
        "funds.CaseDate": case_date,
        "funds.CaseDocument": document,
    }


def _library_world(commune: Any, owner: Any) -> dict[str, Any]:
    """A strict item (so a stranger may not even read it), its file, link, translation,
    collection, protocol and an access request."""
    from minga.common.permissions import SYSTEM
    from minga.library import services
    from minga.library.content import AccessData
    from minga.library.models import AccessRequest, Attachment
    from tests.library import factories as library

    protocol = library.protocol(commune)
    item = library.item(commune, access=AccessData(protocols=[protocol]))
    other = library.item(commune)
    attachment = Attachment.objects.create(
        item=item, file="x.png", file_kind="png", family="image", original_name="x.png", size=1
    )
    link = services.link_add(actor=SYSTEM, source=item, target=other, relation="related")
    translation = services.translation_request(actor=SYSTEM, item=item, language="pt")
    collection = services.collection_create(actor=SYSTEM, organization=commune, title="C")
    request = AccessRequest.objects.create(protocol=protocol, person=owner)
    return {
        "library.Item": item,
        "library.Attachment": attachment,
        "library.ItemLink": link,
        "library.ItemTranslation": translation,
        "library.Collection": collection,
        "library.Protocol": protocol,
        "library.AccessRequest": request,
    }


def _assemblies_world(owner: Any, commune: Any, body: Any) -> dict[str, Any]:
    """A body of the owner's network with rules, a seat, and one of each thing in it."""
    from datetime import timedelta

    from django.utils import timezone

    from minga.assemblies import services
    from minga.assemblies.models import Declaration, Delegation, Endorsement, Milestone

    services.body_rules_establish(
        actor=owner,
        body=body,
        data=services.RulesData(
            quorum="1/2",
            allowed_methods=["majority"],
            proposers="spokespeople",
            amendment_window_days=7,
            delegation_allowed=True,
        ),
    )
    seat = services.body_membership_add(actor=owner, body=body, organization=commune, weight=1)
    proposal = services.proposal_create(
        actor=owner, body=body, on_behalf_of=commune, title="Fondo", text="Un fondo común."
    )
    proposal = services.proposal_transition(actor=owner, proposal=proposal, to_status="open")
    amendment = services.amendment_propose(
        actor=owner,
        proposal=proposal,
        base_version=proposal.versions.get(),
        new_text="Un fondo común y abierto.",
        on_behalf_of=commune,
    )
    now = timezone.now()
    meeting = services.meeting_create(
        actor=owner,
        body=body,
        title="Sesión",
        starts_at=now,
        ends_at=now + timedelta(hours=2),
        place="Sede",
        agenda=["Apertura"],
    )
    table = services.working_table_create(actor=owner, meeting=meeting, name="Mesa")
    vote = services.vote_create(
        actor=owner,
        body=body,
        title="Elección",
        method="majority",
        opens_at=now,
        closes_at=now + timedelta(hours=1),
        choices=["Ana", "Beto"],
    )
    debate = services.debate_create(actor=owner, body=body, title="Debate")
    adopted = services.proposal_create(
        actor=owner, body=body, on_behalf_of=commune, title="Carta", text="Una carta."
    )
    declaration = Declaration.objects.create(
        body=body,
        proposal=adopted,
        kind="resolution",
        title="R",
        text="R",
        published_at=now,
        published_by=owner,
    )
    endorsement = Endorsement.objects.create(
        declaration=declaration, organization=commune, endorsed_by=owner, endorsed_at=now
    )
    neighbour = factories.organization(name="Comuna vecina")
    factories.membership(neighbour, body.organization)
    other_seat = services.body_membership_add(
        actor=owner, body=body, organization=neighbour, weight=1
    )
    delegation = Delegation.objects.create(
        body=body, delegator=seat, delegate=other_seat, created_by=owner
    )
    result = services.result_create(actor=owner, body=body, title="Fondo", responsible=commune)
    milestone = Milestone.objects.create(result=result, title="Primer paso", recorded_by=owner)
    return {
        "assemblies.Proposal": proposal,
        "assemblies.Amendment": amendment,
        "assemblies.DebateSpace": debate,
        "assemblies.Declaration": declaration,
        "assemblies.Endorsement": endorsement,
        "assemblies.BodyMembership": seat,
        "assemblies.Delegation": delegation,
        "assemblies.Meeting": meeting,
        "assemblies.WorkingTable": table,
        "assemblies.Vote": vote,
        "assemblies.FollowUpResult": result,
        "assemblies.Milestone": milestone,
        "assemblies.AgendaItem": meeting.agenda_items.get(),
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


def _education_world(commune: Any) -> dict[str, Any]:
    """A school of ``commune`` with a course, a cohort, a student and a certificate."""
    from minga.common.permissions import SYSTEM
    from minga.education import services
    from tests.education import factories as education

    school = education.school(commune)
    course = education.course(school)
    cohort = education.cohort(course)
    enrolment = education.student(cohort)
    certificate = services.certificate_grant(actor=SYSTEM, enrolment=enrolment, reason="R")
    lesson = education.lesson(course)
    material = services.material_add_video(
        actor=SYSTEM, lesson=lesson, url="https://video.example/1", title="V"
    )
    submission = services.submission_send(
        actor=enrolment.person,
        enrolment=enrolment,
        assignment=education.assignment(course),
        text="T",
    )
    return {
        "education.Submission": submission,
        "education.Assignment": submission.assignment,
        "education.Session": education.session(cohort),
        "education.CourseModule": lesson.module,
        "education.Lesson": lesson,
        "education.LessonMaterial": material,
        "education.School": school,
        "education.Course": course,
        "education.Cohort": cohort,
        "education.Enrolment": enrolment,
        "education.Certificate": certificate,
    }


def _target_for(function: Callable[..., Any], world: dict[str, Any]) -> dict[str, Any]:
    parameter = function.permission_target  # type: ignore[attr-defined]
    if parameter is None:
        return {}
    app = function.__module__.split(".")[1]
    model = MODEL_OF_ARGUMENT.get(f"{app}.{parameter}", MODEL_OF_ARGUMENT.get(parameter))
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
