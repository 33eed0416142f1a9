"""Demo data of the communication network, clearly invented.

Bulletins in Spanish, Portuguese, French, Haitian Creole and English from the confederation,
a national network and community radios (some translated and reviewed, some translations in
review, some waiting for a volunteer), a community-radio programme with two episodes of
(generated) audio, two campaigns with their days of action on the calendar (yearly ones too),
events across the continent with their places and time zones, and follow relations between
organizations, so a newcomer sees the network working. Dates are set around the day the demo
is loaded, so the calendar shows what is coming.
"""

from __future__ import annotations

import io
import math
import struct
import wave
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from minga.common.permissions import SYSTEM
from minga.federation import services as federation
from minga.people.models import User
from minga.registry.models import Organization, OrganizationKind, Role

from . import services
from .models import Bulletin, Volunteer

DEMO = "*Datos de demostración: este boletín es inventado.*\n\n"

BULLETINS = [
    # (organization key, language, title, body, tags, translations {language: (stage, title, text)})
    (
        "confederation",
        "es",
        "Comienza la campaña continental por la soberanía alimentaria",
        "Las comunas y movimientos de la confederación lanzan una campaña de un año por la "
        "semilla libre, la tierra y el agua. Cada organización puede sumarse desde su página.",
        ["soberania-alimentaria", "semillas"],
        {
            "pt": (
                "published",
                "Começa a campanha continental pela soberania alimentar",
                "As comunas e movimentos da confederação lançam uma campanha de um ano pela "
                "semente livre, a terra e a água.",
            ),
            "fr": (
                "submitted",
                "La campagne continentale pour la souveraineté alimentaire commence",
                "Les communes et mouvements de la confédération lancent une campagne d'un an "
                "pour la semence libre, la terre et l'eau.",
            ),
            "ht": ("requested", "", ""),
        },
    ),
    (
        "network",
        "es",
        "Informe de la asamblea nacional de comuneras y comuneros",
        "La asamblea aprobó el plan de trabajo del trimestre: ferias de intercambio, "
        "formación en agroecología y un encuentro de radios comunitarias.",
        ["asamblea", "agroecologia"],
        {"pt": ("in_progress", "", ""), "en": ("requested", "", "")},
    ),
    (
        "radio",
        "pt",
        "Rádio comunitária transmite a feira de sementes",
        "A feira de sementes crioulas será transmitida ao vivo, com entrevistas com as "
        "guardiãs de sementes de cada região.",
        ["semillas", "radio"],
        {
            "es": (
                "published",
                "La radio comunitaria transmite la feria de semillas",
                "La feria de semillas criollas se transmitirá en vivo, con entrevistas a las "
                "guardianas de semillas de cada región.",
            )
        },
    ),
    (
        "haiti",
        "ht",
        "Solidarite ak fanmi peyizan yo apre siklòn nan",
        "Òganizasyon yo ap rasanble semans ak zouti pou fanmi peyizan ki pèdi rekòt yo.",
        ["solidaridad"],
        {
            "es": (
                "submitted",
                "Solidaridad con las familias campesinas después del ciclón",
                "Las organizaciones reúnen semillas y herramientas para las familias campesinas "
                "que perdieron su cosecha.",
            ),
            "fr": ("requested", "", ""),
        },
    ),
    (
        "confederation",
        "en",
        "Call for community radio stations to join the network",
        "Community radio stations can rebroadcast the network's programmes: every "
        "organization has a podcast feed with the audio of its bulletins.",
        ["radio"],
        {},
    ),
    (
        "radio",
        "es",
        "Nota breve: cambio de horario del programa",
        "Desde este mes, «La voz de los barrios» sale al aire los sábados a las 10:00.",
        ["radio"],
        {},
    ),
]

EVENTS: list[tuple[Any, ...]] = [
    # (organization key, campaign key, kind, title, day offset or fixed month/day, hour, zone,
    #  place, country, latitude, longitude, yearly)
    (
        "confederation",
        "food",
        "day_of_action",
        "Día internacional de la lucha campesina",
        (4, 17),
        10,
        "America/Caracas",
        "Plaza Bolívar, Caracas",
        "VE",
        "10.5061",
        "-66.9146",
        True,
    ),
    (
        "confederation",
        None,
        "day_of_action",
        "Día internacional de la mujer trabajadora",
        (3, 8),
        9,
        "America/Lima",
        "Plaza San Martín, Lima",
        "PE",
        "-12.0517",
        "-77.0345",
        True,
    ),
    (
        "network",
        "food",
        "event",
        "Feria de intercambio de semillas",
        9,
        9,
        "America/Caracas",
        "Comuna El Maizal, Lara",
        "VE",
        "9.9800",
        "-69.6500",
        False,
    ),
    (
        "radio",
        "food",
        "broadcast",
        "Transmisión especial: guardianas de semillas",
        12,
        18,
        "America/Sao_Paulo",
        "Online",
        "BR",
        None,
        None,
        False,
    ),
    (
        "haiti",
        "haiti",
        "action",
        "Jounen travay kolektif pou replante",
        6,
        8,
        "America/Port-au-Prince",
        "Les Cayes",
        "HT",
        "18.1942",
        "-73.7500",
        False,
    ),
    (
        "haiti",
        "haiti",
        "day_of_action",
        "Jornada continental de solidaridad con Haití",
        20,
        15,
        "America/Santo_Domingo",
        "Santo Domingo",
        "DO",
        "18.4861",
        "-69.9312",
        False,
    ),
    (
        "network",
        None,
        "event",
        "Asamblea nacional de radios comunitarias",
        27,
        10,
        "America/La_Paz",
        "El Alto",
        "BO",
        "-16.5000",
        "-68.1500",
        False,
    ),
    (
        "confederation",
        "food",
        "action",
        "Siembra colectiva en Chimborazo",
        34,
        7,
        "America/Guayaquil",
        "Riobamba",
        "EC",
        "-1.6636",
        "-78.6546",
        False,
    ),
    (
        "radio",
        None,
        "broadcast",
        "Encuentro de radios del sur",
        40,
        16,
        "America/Argentina/Buenos_Aires",
        "Buenos Aires",
        "AR",
        "-34.6037",
        "-58.3816",
        False,
    ),
]


def _tone(seconds: int, frequency: float) -> SimpleUploadedFile:
    """A short generated tone, standing in for a recorded programme."""
    buffer = io.BytesIO()
    rate = 8000
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        frames = b"".join(
            struct.pack("<h", int(8000 * math.sin(2 * math.pi * frequency * n / rate)))
            for n in range(rate * seconds)
        )
        out.writeframes(frames)
    return SimpleUploadedFile("programa.wav", buffer.getvalue(), content_type="audio/wav")


def _person(username: str, name: str, language: str) -> User:
    user, _created = User.objects.get_or_create(
        username=username, defaults={"display_name": name, "language": language}
    )
    if _created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _organizations() -> dict[str, Organization]:
    confederation = Organization.objects.filter(slug="confederacion-minga").first()
    network = Organization.objects.filter(slug="red-nacional-comuneros").first()
    public = Organization.objects.filter(visibility="public")
    radio = (
        public.filter(kind=OrganizationKind.COMMUNITY_MEDIA, country="BR").order_by("slug").first()
    )
    haiti = public.filter(country="HT").order_by("slug").first()
    commune = public.filter(kind=OrganizationKind.COMMUNE).order_by("slug").first()
    found = {
        "confederation": confederation,
        "network": network,
        "radio": radio
        or public.filter(kind=OrganizationKind.COMMUNITY_MEDIA).order_by("slug").first(),
        "haiti": haiti,
        "commune": commune,
    }
    missing = [key for key, value in found.items() if value is None]
    if missing:
        raise RuntimeError(f"The registry's demo is missing organizations: {missing}")
    return {key: value for key, value in found.items() if value is not None}


def _translate(
    bulletin: Bulletin, language: str, stage: str, title: str, text: str, people: dict[str, User]
) -> None:
    created = services.translation_request(actor=SYSTEM, bulletin=bulletin, languages=[language])
    if not created or stage == "requested":
        return
    translation = created[0]
    translator = people[f"translator-{language}"]
    translation = services.translation_claim(actor=translator, translation=translation)
    if stage == "in_progress":
        return
    translation = services.translation_save(
        actor=translator, translation=translation, title=title, text=text
    )
    translation = services.translation_submit(actor=translator, translation=translation)
    if stage == "published":
        services.translation_approve(actor=people["reviewer"], translation=translation)


def _when(day: tuple[int, int] | int, hour: int, zone: str) -> datetime:
    today = timezone.localdate()
    if isinstance(day, tuple):
        month, day_of_month = day
        date = today.replace(year=today.year - 1, month=month, day=day_of_month)
    else:
        date = today + timedelta(days=day)
    return datetime.combine(date, time(hour), ZoneInfo(zone))


@transaction.atomic
def load_comms_demo(seed: int) -> str:
    if Bulletin.objects.exists():
        return "communication network: already loaded"
    organizations = _organizations()
    people = {
        "translator-pt": _person("demo-traductora-pt", "Luíza Santos", "pt"),
        "translator-fr": _person("demo-traducteur-fr", "Jean Baptiste", "fr"),
        "translator-es": _person("demo-traductora-es", "Rosa Quispe", "es"),
        "translator-en": _person("demo-translator-en", "Amara Diop", "en"),
        "translator-ht": _person("demo-tradiktè-ht", "Nadège Joseph", "ht"),
        "reviewer": _person("demo-revisora", "Carmen Mendoza", "es"),
    }
    for key, person in people.items():
        language = key.split("-")[-1] if key.startswith("translator") else "es"
        Volunteer.objects.get_or_create(user=person, defaults={"languages": [language]})
    reviewer = Volunteer.objects.get(user=people["reviewer"])
    reviewer.languages = ["es", "pt", "fr", "ht", "en"]
    reviewer.reviewer_languages = list(reviewer.languages)
    reviewer.save()
    editor = _person("demo-editora", "Yanet Colmenares", "es")
    for organization in organizations.values():
        Role.objects.get_or_create(
            person=editor,
            organization=organization,
            kind="spokesperson",
            defaults={"started_on": timezone.localdate() - timedelta(days=400)},
        )

    campaigns = {
        "food": services.campaign_create(
            actor=SYSTEM,
            organization=organizations["confederation"],
            data=services.CampaignData(
                title="Campaña continental por la soberanía alimentaria",
                slug="soberania-alimentaria",
                summary="Un año de ferias, siembras y radios por la semilla libre.",
                description=DEMO
                + "Una campaña de un año de las comunas y movimientos del continente.",
                goals="- Mil ferias de intercambio de semillas\n- Una red de guardianas de semillas\n- Programas de radio en cinco idiomas",
                starts_on=timezone.localdate() - timedelta(days=30),
                ends_on=timezone.localdate() + timedelta(days=335),
                region=organizations["confederation"].region,
            ),
        ),
        "haiti": services.campaign_create(
            actor=SYSTEM,
            organization=organizations["haiti"],
            data=services.CampaignData(
                title="Solidaridad con Haití",
                slug="solidaridad-haiti",
                summary="Semillas, herramientas y brigadas para replantar.",
                description=DEMO + "Campaña de solidaridad después del ciclón.",
                goals="- Replantar mil parcelas\n- Brigadas de trabajo voluntario",
                language="es",
                starts_on=timezone.localdate() - timedelta(days=10),
                ends_on=timezone.localdate() + timedelta(days=80),
                region=organizations["haiti"].region,
            ),
        ),
    }
    for key in ("network", "radio", "commune"):
        services.campaign_join(
            actor=SYSTEM, campaign=campaigns["food"], organization=organizations[key]
        )
    services.campaign_join(
        actor=SYSTEM, campaign=campaigns["haiti"], organization=organizations["confederation"]
    )
    services.material_add(
        actor=SYSTEM,
        campaign=campaigns["food"],
        data=services.MaterialData(
            kind="text", title="Manifiesto de la campaña", link="https://example.org/manifiesto"
        ),
    )

    bulletins = []
    for key, language, title, body, tags, translations in BULLETINS:
        bulletin = services.bulletin_create(
            actor=SYSTEM,
            organization=organizations[key],
            data=services.BulletinData(
                title=title,
                body=DEMO + body,
                language=language,
                kind="note" if title.startswith("Nota breve") else "article",
                tags=tags,
                campaign=campaigns["food"]
                if "soberania-alimentaria" in tags or "semillas" in tags
                else None,
                region=organizations[key].region,
                country=str(organizations[key].country),
            ),
        )
        bulletin = services.bulletin_publish(actor=SYSTEM, bulletin=bulletin)
        for target, (stage, translated_title, text) in translations.items():
            _translate(
                bulletin, target, stage, translated_title, DEMO + text if text else "", people
            )
        bulletins.append(bulletin)
    draft = services.bulletin_create(
        actor=SYSTEM,
        organization=organizations["network"],
        data=services.BulletinData(
            title="Borrador: balance del año",
            body=DEMO + "En revisión por las editoras.",
            language="es",
        ),
    )
    services.bulletin_submit(actor=SYSTEM, bulletin=draft)

    programme = services.programme_save(
        actor=SYSTEM,
        organization=organizations["radio"],
        data=services.ProgrammeData(
            title="La voz de los barrios",
            slug="voz-de-los-barrios",
            description="Programa semanal de la radio comunitaria (demostración: el audio es un tono generado).",
            language="es",
        ),
    )
    for number, frequency in ((1, 440.0), (2, 523.25)):
        episode = services.bulletin_create(
            actor=SYSTEM,
            organization=organizations["radio"],
            data=services.BulletinData(
                title=f"La voz de los barrios, episodio {number}",
                body=DEMO + "Entrevistas, música y noticias de las comunas.",
                language="es",
                tags=["radio"],
                programme=programme,
            ),
        )
        services.media_add(
            actor=SYSTEM, bulletin=episode, upload=_tone(4, frequency), title=f"Episodio {number}"
        )
        services.bulletin_publish(actor=SYSTEM, bulletin=episode)

    for key, campaign_key, kind, title, day, hour, zone, place, country, lat, lon, yearly in EVENTS:
        starts = _when(day, hour, zone)
        organization = organizations[key]
        services.event_create(
            actor=SYSTEM,
            organization=organization,
            data=services.EventData(
                title=title,
                kind=kind,
                description=DEMO + "Convocan las organizaciones de la red.",
                language="ht" if key == "haiti" and kind == "action" else "es",
                starts_at=starts,
                ends_at=starts + timedelta(hours=3),
                time_zone=zone,
                place=place,
                online_url="https://example.org/en-vivo" if place == "Online" else "",
                country=country,
                region=organization.region,
                latitude=Decimal(lat) if lat else None,
                longitude=Decimal(lon) if lon else None,
                campaign=campaigns[campaign_key] if campaign_key else None,
                yearly=yearly,
            ),
        )

    follows = [
        ("network", "confederation"),
        ("radio", "confederation"),
        ("commune", "radio"),
        ("haiti", "confederation"),
        ("confederation", "haiti"),
    ]
    for follower, target in follows:
        federation.follow_create(
            actor=SYSTEM, organization=organizations[follower], target=organizations[target]
        )
    return (
        f"communication network: {Bulletin.objects.count()} bulletins, 2 campaigns, "
        f"{len(EVENTS)} events, 1 radio programme, {len(follows)} follows"
    )
