"""Demo data of the library: a few hundred public items of every kind in several languages,
a community's strict protocol with its sacred knowledge, collections and translations
(invented, deterministic). The starter vocabulary comes with the migrations."""

from __future__ import annotations

import io
import math
import random
import struct
import wave
from datetime import date, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from minga.common.permissions import SYSTEM
from minga.common.translation import TranslationStage
from minga.people.models import User
from minga.registry.models import Organization

from . import services
from .content import AccessData, ConsentData, IngredientData, ItemData
from .models import Item, ItemTranslation
from .search import rebuild_item_index
from .types import ItemKind, ProtocolKind

TOTAL = 320

# name, subjects, yield (quantity, unit), ingredients (quantity, unit, name), steps — per language
FORMULAS: dict[
    str, list[tuple[str, list[str], tuple[str, str], list[tuple[str, str, str]], list[str]]]
] = {
    "es": [
        (
            "Biol de estiércol de vaca",
            ["biofertilizers", "maize", "cattle"],
            ("200", "l"),
            [
                ("40", "kg", "estiércol fresco de vaca"),
                ("2", "l", "leche"),
                ("1.5", "l", "melaza"),
                ("150", "l", "agua"),
            ],
            [
                "Disolver el estiércol en el agua.",
                "Añadir la leche y la melaza.",
                "Cerrar el tanque con una válvula y fermentar 30 días.",
            ],
        ),
        (
            "Bocashi de la comunidad",
            ["composting", "soil-fertility"],
            ("500", "kg"),
            [
                ("100", "kg", "tierra de monte"),
                ("100", "kg", "estiércol de gallina"),
                ("50", "kg", "cascarilla de arroz"),
                ("2", "l", "melaza"),
                ("1", "kg", "levadura"),
            ],
            [
                "Mezclar en capas.",
                "Humedecer hasta formar un terrón.",
                "Voltear dos veces al día durante quince días.",
            ],
        ),
        (
            "Caldo sulfocálcico",
            ["natural-pest-control"],
            ("100", "l"),
            [("20", "kg", "azufre"), ("10", "kg", "cal viva"), ("100", "l", "agua")],
            ["Hervir el agua.", "Añadir la cal y luego el azufre.", "Hervir una hora revolviendo."],
        ),
        (
            "Repelente de ají y ajo",
            ["natural-pest-control", "tomato"],
            ("10", "l"),
            [
                ("500", "g", "ají picante"),
                ("250", "g", "ajo"),
                ("10", "l", "agua"),
                ("50", "g", "jabón neutro"),
            ],
            ["Licuar el ají y el ajo.", "Dejar reposar una noche.", "Colar y añadir el jabón."],
        ),
    ],
    "pt": [
        (
            "Supermagro",
            ["biofertilizers", "soil-fertility"],
            ("200", "l"),
            [
                ("40", "kg", "esterco fresco de vaca"),
                ("2", "kg", "sulfato de zinco"),
                ("1", "l", "leite"),
                ("1", "l", "melaço"),
            ],
            [
                "Misturar o esterco com água.",
                "Acrescentar os minerais aos poucos.",
                "Fermentar por 45 dias.",
            ],
        ),
        (
            "Calda bordalesa",
            ["natural-pest-control", "coffee"],
            ("100", "l"),
            [("1", "kg", "sulfato de cobre"), ("1", "kg", "cal virgem"), ("100", "l", "água")],
            [
                "Dissolver o sulfato em 50 litros.",
                "Dissolver a cal nos outros 50.",
                "Juntar o sulfato sobre a cal.",
            ],
        ),
        (
            "Biofertilizante de milho crioulo",
            ["biofertilizers", "maize"],
            ("50", "l"),
            [("10", "kg", "esterco de galinha"), ("500", "ml", "melaço"), ("40", "l", "água")],
            ["Misturar tudo num tambor.", "Fermentar por 20 dias."],
        ),
    ],
    "en": [
        (
            "Compost tea",
            ["composting", "soil-fertility"],
            ("20", "l"),
            [("2", "kg", "mature compost"), ("50", "ml", "molasses"), ("20", "l", "rainwater")],
            ["Put the compost in a cloth bag.", "Aerate in the water for a day."],
        ),
        (
            "Neem leaf spray",
            ["natural-pest-control"],
            ("10", "l"),
            [("1", "kg", "neem leaves"), ("10", "l", "water")],
            ["Crush the leaves.", "Soak overnight and strain."],
        ),
    ],
    "fr": [
        (
            "Purin d'ortie",
            ["biofertilizers", "natural-pest-control"],
            ("10", "l"),
            [("1", "kg", "orties fraîches"), ("10", "l", "eau de pluie")],
            ["Hacher les orties.", "Laisser macérer une semaine en remuant."],
        ),
        (
            "Bouillie de cendre",
            ["natural-pest-control", "beans"],
            ("10", "l"),
            [("1", "kg", "cendre de bois"), ("10", "l", "eau")],
            ["Mélanger la cendre et l'eau.", "Filtrer après un jour."],
        ),
    ],
    "ht": [
        (
            "Angrè likid ak fimye bèf",
            ["biofertilizers", "cattle"],
            ("100", "l"),
            [("20", "kg", "fimye bèf"), ("1", "l", "siwo myèl"), ("80", "l", "dlo")],
            ["Melanje fimye a ak dlo.", "Kouvri barik la pou twa semèn."],
        ),
        (
            "Remèd natirèl kont ensèk",
            ["natural-pest-control", "beans"],
            ("5", "l"),
            [("250", "g", "piman"), ("100", "g", "lay"), ("5", "l", "dlo")],
            ["Kraze piman ak lay.", "Kite l repoze yon nwit."],
        ),
    ],
}
PROJECTS = {
    "es": [
        "Huerto comunal en {place}",
        "Banco comunitario de semillas de {place}",
        "Riego por goteo en {place}",
        "Escuela campesina de agroecología de {place}",
    ],
    "pt": [
        "Casa de sementes crioulas de {place}",
        "Cisternas de placas em {place}",
        "Feira agroecológica de {place}",
    ],
    "en": ["Community orchard in {place}", "Rainwater harvesting in {place}"],
    "fr": ["Jardin partagé de {place}", "Coopérative de semences de {place}"],
    "ht": ["Jaden kominotè nan {place}", "Rezèvwa dlo lapli nan {place}"],
}
PLANS = {
    "es": "Plan de producción {year} de {org}",
    "pt": "Plano de produção {year} de {org}",
    "en": "{year} production plan of {org}",
    "fr": "Plan de production {year} de {org}",
    "ht": "Plan pwodiksyon {year} pou {org}",
}
KNOWLEDGE = {
    "es": [
        ("Siembra según la luna", ["lunar-calendar", "maize"]),
        ("Conservación de semillas en ceniza", ["seed-saving"]),
        ("Lectura de las nubes para sembrar", ["climate", "potato"]),
    ],
    "pt": [
        ("Guarda de sementes na cabaça", ["seed-saving"]),
        ("Plantio pelas fases da lua", ["lunar-calendar"]),
    ],
    "qu": [
        ("Killa pachapi tarpuy", ["lunar-calendar", "potato"]),
        ("Muhu waqaychay", ["seed-saving", "quinoa"]),
    ],
    "ay": [("Phaxsimpi yapuchaña", ["lunar-calendar"]), ("Jatha imaña", ["seed-saving"])],
    "gn": [
        ("Ñemity jasy rapére", ["lunar-calendar", "cassava"]),
        ("Ka'a he'ẽ ñemity", ["traditional-medicine"]),
    ],
    "ht": [
        ("Plante dapre lalin", ["lunar-calendar", "beans"]),
        ("Konsève semans nan sann", ["seed-saving"]),
    ],
}
MEDIA = {
    ItemKind.DOCUMENT: {
        "es": "Cartilla de agroecología: {topic}",
        "pt": "Cartilha: {topic}",
        "en": "Handbook: {topic}",
        "fr": "Livret : {topic}",
        "ht": "Ti liv: {topic}",
    },
    ItemKind.AUDIO: {
        "es": "Programa de radio comunitaria: {topic}",
        "pt": "Programa da rádio comunitária: {topic}",
        "en": "Community radio show: {topic}",
        "fr": "Émission de radio communautaire : {topic}",
        "ht": "Emisyon radyo kominotè: {topic}",
    },
    ItemKind.VIDEO: {
        "es": "Video: {topic}",
        "pt": "Vídeo: {topic}",
        "en": "Video: {topic}",
        "fr": "Vidéo : {topic}",
        "ht": "Videyo: {topic}",
    },
    ItemKind.IMAGE: {
        "es": "Fotografías: {topic}",
        "pt": "Fotografias: {topic}",
        "en": "Photographs: {topic}",
        "fr": "Photographies : {topic}",
        "ht": "Foto: {topic}",
    },
}
TOPICS = {
    "es": [
        ("la feria de semillas", ["seed-exchange"]),
        ("cosecha de agua", ["water-harvesting", "water"]),
        ("soberanía alimentaria", ["food-sovereignty"]),
        ("las mujeres y la semilla", ["women", "seed-saving"]),
    ],
    "pt": [
        ("a feira de sementes", ["seed-exchange"]),
        ("agrofloresta", ["agroforestry"]),
        ("soberania alimentar", ["food-sovereignty"]),
    ],
    "en": [("seed fairs", ["seed-exchange"]), ("beekeeping", ["beekeeping", "bees"])],
    "fr": [("les semences paysannes", ["seed-saving"]), ("l'eau", ["water"])],
    "ht": [("semans peyizan", ["seed-saving"]), ("dlo lapli", ["water-harvesting"])],
}
SUMMARIES = {
    "es": "Experiencia compartida por {org} para las comunas y movimientos.",
    "pt": "Experiência compartilhada por {org} com as comunas e movimentos.",
    "en": "An experience shared by {org} with the communes and movements.",
    "fr": "Une expérience partagée par {org} avec les communes et les mouvements.",
    "ht": "Yon eksperyans {org} pataje ak komin yo ak mouvman yo.",
    "qu": "{org} ayllukunawan rimanakusqa yachay.",
    "ay": "{org} markanakampi yatichawi.",
    "gn": "{org} oikuaauka ko arandu.",
}
LICENSES = ["cc-by-sa", "cc-by", "cc-by-nc-sa", "cc0", "cc-by-nc"]


def _png(rng: random.Random) -> ContentFile[bytes]:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 420), (rng.randint(120, 200), rng.randint(150, 210), 110))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randint(0, 600), rng.randint(0, 380)
        draw.ellipse((x, y, x + 40, y + 40), fill=(rng.randint(60, 255), rng.randint(60, 200), 40))
    out = io.BytesIO()
    image.save(out, "PNG")
    return ContentFile(out.getvalue(), name="foto.png")


def _wav(seconds: float = 2.0) -> ContentFile[bytes]:
    out = io.BytesIO()
    with wave.open(out, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(8000)
        frames = b"".join(
            struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * n / 8000)))
            for n in range(int(8000 * seconds))
        )
        sound.writeframes(frames)
    return ContentFile(out.getvalue(), name="programa.wav")


def _item_data(
    rng: random.Random, number: int, kind: str, language: str, organization: Any
) -> ItemData:
    place = organization.area or str(organization.country.name)
    summary = SUMMARIES.get(language, SUMMARIES["es"]).format(org=organization.name)
    common: dict[str, Any] = {
        "kind": kind,
        "language": language,
        "summary": summary,
        "country": str(organization.country),
        "place": place,
        "license": rng.choice(LICENSES),
        "authors": [f"Equipo de {organization.name}"],
        "made_on": date(2020, 1, 1) + timedelta(days=rng.randint(0, 1800)),
        "tags": [f"demo-{number % 7}"],
    }
    if kind == ItemKind.FORMULA:
        name, subjects, (quantity, unit), ingredients, steps = rng.choice(FORMULAS[language])
        return ItemData(
            title=f"{name} ({place})",
            subjects=subjects,
            yield_quantity=quantity,
            yield_unit=unit,
            ingredients=[IngredientData(n, q, u) for q, u, n in ingredients],
            steps=steps,
            body="*Datos de demostración.* " + " ".join(steps),
            conditions="Aplicar diluido al 10 % por la mañana." if language == "es" else "",
            climate=rng.choice(["templado", "tropical", "frío de altura", ""]),
            altitude_min=rng.choice([None, 0, 1500, 2500]),
            safety="Usar guantes." if language == "es" else "",
            serves=", ".join(subjects),
            **common,
        )
    if kind in (ItemKind.PROJECT, ItemKind.PLAN):
        if kind == ItemKind.PLAN:
            title = PLANS[language].format(year=2022 + number % 4, org=organization.name)
            subjects = ["food-sovereignty", rng.choice(["maize", "beans", "cassava", "rice"])]
        else:
            title = rng.choice(PROJECTS[language]).format(place=place)
            subjects = [
                rng.choice(["water-harvesting", "seed-saving", "agroforestry", "education"])
            ]
        start = date(2021, 1, 1) + timedelta(days=rng.randint(0, 900))
        return ItemData(
            title=title,
            subjects=subjects,
            goals="Producir alimentos sanos para la comuna." if language == "es" else summary,
            starts_on=start,
            ends_on=start + timedelta(days=rng.randint(90, 720)),
            budget_amount=rng.randint(10, 500) * 1000,
            budget_unit="MINGA",
            results=summary,
            lessons=summary,
            body="*Datos de demostración.*",
            **common,
        )
    if kind == ItemKind.KNOWLEDGE:
        title, subjects = rng.choice(KNOWLEDGE[language])
        return ItemData(
            title=f"{title} · {place}",
            subjects=subjects,
            community_of_origin=organization.name,
            season=rng.choice(["agosto", "lluvias", "primavera", ""]),
            practice=title,
            labels=["tk-attribution", "tk-community-voice"],
            body="*Datos de demostración.*",
            **common,
        )
    topic, subjects = rng.choice(TOPICS[language])
    return ItemData(
        title=MEDIA[ItemKind(kind)][language].format(topic=topic),
        subjects=subjects,
        body="*Datos de demostración.*",
        duration_seconds=rng.randint(300, 3600)
        if kind in (ItemKind.AUDIO, ItemKind.VIDEO)
        else None,
        **common,
    )


def _consent(organization: Any) -> ConsentData:
    return ConsentData(
        given_by=f"Asamblea de {organization.name}",
        given_on=date(2024, 3, 8),
        method="Decisión de la asamblea comunal, con acta",
        scope="Compartir en la biblioteca de la federación",
    )


@transaction.atomic
def load_library_demo(seed: int) -> str:
    if Item.objects.exists():
        return "Library demo: already present."
    rng = random.Random(seed + 12)
    organizations = list(
        Organization.objects.filter(
            visibility="public",
            kind__in=["commune", "cooperative", "social_movement", "community_media"],
        ).order_by("id")[:60]
    )
    if not organizations:
        return "Library demo: no organization to contribute items."
    kinds = (
        [ItemKind.FORMULA] * 5
        + [ItemKind.PROJECT] * 3
        + [ItemKind.PLAN] * 2
        + [ItemKind.KNOWLEDGE] * 3
        + [ItemKind.DOCUMENT, ItemKind.AUDIO, ItemKind.VIDEO, ItemKind.IMAGE]
    )
    created: list[Item] = []
    for number in range(TOTAL):
        kind = kinds[number % len(kinds)]
        organization = organizations[number % len(organizations)]
        languages = (
            sorted(KNOWLEDGE)
            if kind == ItemKind.KNOWLEDGE
            else sorted(FORMULAS if kind == ItemKind.FORMULA else PROJECTS)
        )
        language = languages[(number // len(kinds)) % len(languages)]
        data = _item_data(rng, number, kind, language, organization)
        item = services.item_create(
            actor=SYSTEM,
            organization=organization,
            data=data,
            consent=_consent(organization) if kind == ItemKind.KNOWLEDGE else None,
        )
        created.append(item)
    images = [item for item in created if item.kind == ItemKind.IMAGE][:8]
    for item in images:
        services.attachment_add(actor=SYSTEM, item=item, upload=_png(rng), title=item.title)
    for item in [item for item in created if item.kind == ItemKind.AUDIO][:5]:
        services.attachment_add(actor=SYSTEM, item=item, upload=_wav(), title=item.title)
    # Published translations, so the same item is found in two languages.
    for item in [
        item for item in created if item.language == "es" and item.kind == ItemKind.FORMULA
    ][:10]:
        ItemTranslation.objects.create(
            item=item,
            language="pt",
            title=item.title.replace(
                "Biol de estiércol de vaca", "Biofertilizante de esterco de vaca"
            ),
            summary="Tradução de demonstração.",
            text="*Dados de demonstração.*",
            stage=TranslationStage.PUBLISHED,
            reviewed_at=timezone.now(),
        )
    # A community's strict protocol: knowledge for its members only.
    community = organizations[0]
    custodian, _new = User.objects.get_or_create(
        username="demo-custodian", defaults={"display_name": "Custodia de los saberes"}
    )
    if _new:
        custodian.set_unusable_password()
        custodian.save()
    protocol = services.protocol_create(
        actor=SYSTEM,
        community=community,
        name="Saberes de las abuelas",
        description="Saberes que las abuelas comparten solo con quienes la asamblea acepta.",
        kind=ProtocolKind.STRICT,
        stewards=[custodian],
    )
    services.protocol_create(
        actor=SYSTEM,
        community=community,
        name="Saberes abiertos de la comuna",
        description="Lo que la comuna comparte con todo el mundo.",
        kind=ProtocolKind.OPEN,
    )
    for title in (
        "Ceremonia de la primera semilla",
        "Plantas que cuidan a las parturientas",
        "Cantos para la siembra de la papa",
    ):
        services.item_create(
            actor=SYSTEM,
            organization=community,
            data=ItemData(
                kind=ItemKind.KNOWLEDGE,
                title=title,
                summary="Saber sagrado de la comunidad (demostración).",
                language="es",
                subjects=["traditional-medicine", "women"],
                community_of_origin=community.name,
                season="Luna nueva de septiembre",
                labels=["tk-secret-sacred", "tk-women-restricted", "tk-seasonal"],
                license="community",
                license_text="Solo para las socias del protocolo Saberes de las abuelas.",
            ),
            access=AccessData(protocols=[protocol], custodians=[custodian]),
            consent=_consent(community),
        )
    curator = organizations[1]
    collection = services.collection_create(
        actor=SYSTEM,
        organization=curator,
        title="Biofertilizantes de las comunas",
        description="Fórmulas probadas en el campo, reunidas por la escuela campesina.",
    )
    for item in [item for item in created if item.kind == ItemKind.FORMULA][:15]:
        services.collection_item_add(actor=SYSTEM, collection=collection, item=item)
    formula, project = (
        next(item for item in created if item.kind == ItemKind.FORMULA),
        next(item for item in created if item.kind == ItemKind.PROJECT),
    )
    services.link_add(actor=SYSTEM, source=project, target=formula, relation="uses")
    indexed = rebuild_item_index()
    return (
        f"Library demo: {len(created) + 3} items ({len(images)} with photos), a strict protocol "
        f"with 3 items, a collection of 15 formulas ({indexed} indexed)."
    )
