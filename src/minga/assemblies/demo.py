"""Demo data for the assemblies: the Congress of the demo confederation in session.

Uses the registry demo's network "confederacion-minga" and its Body "congreso" with their
accredited delegates; does nothing when they are absent or when the demo was loaded already.
Deterministic (the same seed gives the same rows, apart from the open vote's window, which
is placed around the present so that it is open) and fast.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from minga.common.errors import DomainError
from minga.registry.models import Body

from . import selectors, services
from .models import BodyRules, Meeting

PROPOSALS = [
    (
        "Fondo común de semillas",
        "ordinary",
        "Cada comuna aporta semillas nativas a un **fondo común** administrado por la "
        "Comisión Promotora.\n\nEl fondo se reparte en cada siembra.\n",
    ),
    (
        "Radio comunitaria en cada región",
        "ordinary",
        "Proponemos apoyar una radio comunitaria por región con equipos compartidos.\n\n"
        "Las comunas con radio forman a las demás.\n",
    ),
    (
        "Reglamento: quórum de dos tercios",
        "rules_change",
        "El quórum del Congreso pasa a ser de dos tercios de las organizaciones miembro.\n",
    ),
]


def _at(day: int, hour: int) -> datetime:
    return datetime(2026, 11, day, hour, 0, tzinfo=UTC)


@transaction.atomic
def load_assemblies_demo(seed: int) -> str:
    body = Body.objects.filter(slug="congreso", organization__slug="confederacion-minga").first()
    if body is None:
        return "Assemblies demo skipped: the demo Congress is not there."
    if BodyRules.objects.filter(body=body).exists():
        return "Assemblies demo already loaded."
    rng = random.Random(seed)
    accreditations = list(
        selectors.current_accreditations(body)
        .select_related("person", "organization")
        .order_by("organization__slug", "person__username")
    )
    if len(accreditations) < 4:
        return "Assemblies demo skipped: the Congress has too few delegates."
    chair = body.organization.roles.filter(kind="coordinator").order_by("id").first()
    actor = chair.person if chair else None
    services.body_rules_establish(
        actor=actor,
        body=body,
        data=services.RulesData(
            quorum="1/2",
            allowed_methods=["majority", "qualified", "consent", "stv", "schulze", "approval"],
            proposers="delegates",
            amendment_window_days=10,
        ),
    )
    seats = []
    for accreditation in accreditations:
        seats.append(
            services.body_membership_add(
                actor=actor,
                body=body,
                organization=accreditation.organization,
                weight=rng.choice([1, 1, 2, 3]),
                started_on=accreditation.term_start,
            )
        )
    people = {
        seat.pk: accreditation.person
        for seat, accreditation in zip(seats, accreditations, strict=True)
    }
    meeting = services.meeting_create(
        actor=actor,
        body=body,
        title="Congreso de la Confederación: sesión de noviembre",
        starts_at=_at(14, 13),
        ends_at=_at(14, 21),
        place="Casa Comunal El Maizal, Lara",
        online_url="https://meet.jit.si/congreso-minga-demo",
        description="*Datos de demostración.* Sesión ordinaria con transmisión en línea.",
        agenda=["Apertura y verificación del quórum", "Informe de la Comisión Promotora"],
    )
    for index, seat in enumerate(seats[: len(seats) * 2 // 3]):
        services.attendance_check_in(
            actor=people[seat.pk],
            meeting=meeting,
            membership=seat,
            now=_at(14, 13) + timedelta(minutes=index),
        )
    proposals = []
    for number, (title, kind, text) in enumerate(PROPOSALS):
        author_seat = seats[number]
        proposal = services.proposal_create(
            actor=people[author_seat.pk],
            body=body,
            on_behalf_of=author_seat.organization,
            title=title,
            text=text,
            kind=kind,
            rules_payload={"quorum": "2/3"} if kind == "rules_change" else None,
        )
        services.proposal_transition(
            actor=people[author_seat.pk], proposal=proposal, to_status="open", now=_at(3, 12)
        )
        proposals.append(proposal)
        services.agenda_item_add(actor=actor, meeting=meeting, title=title, proposal=proposal)
        for reply_to, writer in enumerate(seats[3 + number : 6 + number]):
            services.comment_add(
                actor=people[writer.pk],
                proposal=proposal,
                text=[
                    "Estamos de acuerdo.",
                    "¿Quién lo coordina?",
                    "Nuestra comuna puede aportar.",
                ][reply_to],
            )
    first = proposals[0]
    version = selectors.current_version(first)
    amendment = services.amendment_propose(
        actor=people[seats[4].pk],
        proposal=first,
        base_version=version,
        new_text=version.text.replace(
            "en cada siembra", "en cada siembra, con prioridad para las comunas nuevas"
        ),
        on_behalf_of=seats[4].organization,
        rationale="Las comunas nuevas no tienen reservas.",
        now=_at(4, 12),
    )
    services.amendment_decide(actor=people[seats[0].pk], amendment=amendment, action="accept")
    services.amendment_propose(
        actor=people[seats[5].pk],
        proposal=proposals[1],
        base_version=selectors.current_version(proposals[1]),
        new_text=PROPOSALS[1][2] + "\nLas radios transmiten también en lenguas originarias.\n",
        on_behalf_of=seats[5].organization,
        now=_at(4, 12),
    )
    for status in ("debate", "to_vote"):
        services.proposal_transition(actor=actor, proposal=first, to_status=status, now=_at(4, 18))
    closed = services.vote_create(
        actor=actor,
        body=body,
        proposal=first,
        title=first.title,
        method="majority",
        opens_at=_at(14, 15),
        closes_at=_at(14, 16),
        meeting=meeting,
    )
    for index, seat in enumerate(seats[: len(seats) * 2 // 3]):
        option = "no" if index % 5 == 4 else ("abstain" if index % 7 == 6 else "yes")
        services.ballot_cast(
            actor=people[seat.pk],
            vote=closed,
            contents={"option": option},
            membership=seat,
            now=_at(14, 15) + timedelta(minutes=index % 50),
        )
    services.vote_close(actor=actor, vote=closed, now=_at(14, 16))
    services.decision_record(
        actor=actor,
        agenda_item=meeting.agenda_items.get(proposal=first),
        text="El Congreso aprueba el **fondo común de semillas**.",
        vote=closed,
    )
    resolution = services.declaration_publish(actor=actor, proposal=first, kind="resolution")
    for seat in seats[:12]:
        try:
            services.endorsement_add(
                actor=people[seat.pk], declaration=resolution, organization=seat.organization
            )
        except (DomainError, PermissionDenied):
            continue  # this delegate holds no role that speaks for the organization
    plan = services.result_create(
        actor=actor,
        body=body,
        title="Fondo común de semillas en marcha",
        responsible=body.organization,
        declaration=resolution,
        starts_on=_at(15, 12).date(),
        due_on=_at(15, 12).date() + timedelta(days=180),
    )
    for number, (title, status) in enumerate(
        [
            ("Recolección de semillas nativas", "in_progress"),
            ("Casa de semillas regional", "planned"),
            ("Registro de variedades", "done"),
        ]
    ):
        part = services.result_create(
            actor=actor,
            body=body,
            title=title,
            responsible=seats[number].organization,
            parent=plan,
            weight=number + 1,
            due_on=_at(15, 12).date() + timedelta(days=60 * (number + 1)),
        )
        services.result_update(actor=actor, result=part, status=status)
        milestone = services.milestone_add(actor=actor, result=part, title="Primera entrega")
        if status == "done":
            services.milestone_reach(
                actor=actor,
                milestone=milestone,
                reached_on=_at(20, 12).date(),
                evidence="Registro entregado a la Comisión Promotora.",
            )
    services.meeting_minutes_write(
        actor=actor,
        meeting=meeting,
        minutes="Se verificó el quórum. Se aprobó el fondo común de semillas.",
    )
    table = services.working_table_create(
        actor=actor,
        meeting=meeting,
        name="Mesa de economía comunal",
        theme="Fondo común y circuitos de intercambio",
        agenda_items=list(meeting.agenda_items.filter(proposal=first)),
        rapporteur=people[seats[1].pk],
    )
    services.working_table_report_write(
        actor=people[seats[1].pk],
        table=table,
        report="La mesa propone **tres** centros de acopio y un informe trimestral.",
    )
    services.proposal_translation_save(
        actor=people[seats[2].pk],
        proposal=first,
        language="ht",
        title="Fon komen semans",
        text="Nou kreye yon fon komen semans pou tout komin yo.",
    )
    debate = services.debate_create(
        actor=people[seats[0].pk],
        body=body,
        title="¿Cómo cuidamos el agua de las comunas?",
        theme="Un espacio abierto para compartir experiencias, sin votación.",
    )
    services.debate_comment_add(
        actor=people[seats[3].pk], debate=debate, text="En nuestra comuna hicimos cisternas."
    )
    now = timezone.now()
    services.vote_create(
        actor=actor,
        body=body,
        title="Elección de la Comisión Promotora",
        method="stv",
        choices=["Argelia Laya", "Fabricio Ojeda", "Josefa Camejo", "Simón Rodríguez"],
        seats=2,
        secret=True,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=6),
    )
    return (
        f"Assemblies: {len(seats)} members of the Congress, {Meeting.objects.filter(body=body).count()} meeting, "
        f"{len(proposals)} proposals, 1 closed vote and 1 open election, 1 resolution with "
        f"{resolution.endorsements.count()} endorsements, 4 follow-up results."
    )
