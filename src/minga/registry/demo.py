"""A deterministic demonstration federation, clearly labelled as invented.

About 3,200 communes with their communal councils across the states of Venezuela, about 200
movements, unions, cooperatives and other organizations in 27 countries on four continents,
people with roles, delegates to the Congress, and a few join requests waiting for an answer.
The same seed always gives the same federation.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from minga.common import audit
from minga.common.models import Visibility
from minga.common.permissions import SYSTEM
from minga.people.models import User

from .audit_events import RegistryEvent
from .models import (
    Body,
    BodyKind,
    ContactChannel,
    ContactKind,
    DelegateAccreditation,
    Language,
    Organization,
    OrganizationKind,
    OrganizationRelation,
    Region,
    RelationEvent,
    RelationKind,
    RelationStatus,
    Role,
    RoleKind,
)

DEMO_NOTES = {
    "es": "*Datos de demostración: esta organización es inventada.*",
    "en": "*Demo data: this organization is invented.*",
    "pt": "*Dados de demonstração: esta organização é inventada.*",
    "fr": "*Données de démonstration : cette organisation est inventée.*",
    "ht": "*Done demonstrasyon: òganizasyon sa a envante.*",
}
DEMO_NOTE = DEMO_NOTES["es"]

# (state, weight ~ share of communes, latitude, longitude)
VENEZUELAN_STATES = [
    ("Amazonas", 1, 5.66, -67.62), ("Anzoátegui", 6, 8.59, -64.25), ("Apure", 4, 7.12, -68.71),
    ("Aragua", 6, 10.24, -67.59), ("Barinas", 5, 8.62, -70.21), ("Bolívar", 5, 8.12, -63.55),
    ("Carabobo", 7, 10.16, -68.0), ("Cojedes", 3, 9.66, -68.58), ("Delta Amacuro", 1, 9.06, -62.05),
    ("Distrito Capital", 8, 10.49, -66.88), ("Falcón", 5, 11.4, -69.67), ("Guárico", 5, 9.91, -67.35),
    ("La Guaira", 2, 10.6, -66.93), ("Lara", 7, 10.07, -69.32), ("Mérida", 5, 8.59, -71.14),
    ("Miranda", 8, 10.25, -66.42), ("Monagas", 4, 9.74, -63.18), ("Nueva Esparta", 2, 10.96, -63.85),
    ("Portuguesa", 4, 9.04, -69.74), ("Sucre", 5, 10.45, -64.17), ("Táchira", 5, 7.77, -72.22),
    ("Trujillo", 4, 9.37, -70.43), ("Yaracuy", 3, 10.34, -68.74), ("Zulia", 9, 10.65, -71.64),
]  # fmt: skip

# (ISO code, region, language, continent) — 27 countries on four continents.
COUNTRIES = [
    ("VE", "south-america", "es"), ("CO", "south-america", "es"), ("EC", "south-america", "es"),
    ("PE", "south-america", "es"), ("BO", "south-america", "es"), ("BR", "south-america", "pt"),
    ("AR", "south-america", "es"), ("CL", "south-america", "es"), ("UY", "south-america", "es"),
    ("PY", "south-america", "es"), ("MX", "north-america", "es"), ("US", "north-america", "en"),
    ("CA", "north-america", "fr"), ("GT", "central-america", "es"), ("HN", "central-america", "es"),
    ("SV", "central-america", "es"), ("NI", "central-america", "es"), ("CU", "caribbean", "es"),
    ("DO", "caribbean", "es"), ("HT", "caribbean", "ht"), ("ES", "europe", "es"),
    ("IT", "europe", "es"), ("PT", "europe", "pt"), ("FR", "europe", "fr"),
    ("ZA", "africa", "en"), ("SN", "africa", "fr"), ("IN", "asia", "en"),
]  # fmt: skip

HEROES = [
    "Ezequiel Zamora", "Guaicaipuro", "Negra Hipólita", "Manuela Sáenz", "José Leonardo Chirino",
    "Argelia Laya", "Cacique Mara", "Túpac Amaru", "Fabricio Ojeda", "Josefa Camejo",
    "Simón Rodríguez", "Luisa Cáceres", "Apacuana", "Juana Ramírez", "Pedro Camejo",
    "Bartolina Sisa", "Tiuna", "Yare", "Caribay", "Andresote", "Hugo Rafael", "Cipriano Castro",
    "Jorge Rodríguez", "Alí Primera", "Teresa de la Parra", "Francisco de Miranda",
]  # fmt: skip
PLACES = [
    "El Maizal", "Los Cerritos", "La Montaña", "El Valle", "Las Flores", "Río Claro", "Buena Vista",
    "El Palmar", "La Esperanza", "San Rafael", "Agua Blanca", "El Cují", "Los Naranjos", "Sabaneta",
    "La Ceiba", "El Samán", "Las Mercedes", "Cañaveral", "El Tigre", "Santa Rosa", "Caño Seco",
    "La Vega", "Quebrada Honda", "Los Apamates", "El Mirador", "Tierra Roja", "Mata de Coco",
]  # fmt: skip
COMMUNE_KINDS = [
    "Comuna", "Comuna Socialista", "Comuna Agroproductiva", "Comuna Pesquera", "Comuna Urbana",
    "Comuna Indígena", "Comuna Ganadera", "Comuna Cafetalera",
]  # fmt: skip
FIRST_NAMES = [
    "María", "José", "Ana", "Luis", "Carmen", "Jesús", "Rosa", "Pedro", "Yolanda", "Juan",
    "Francisca", "Miguel", "Josefina", "Rafael", "Marlene", "Carlos", "Ana Paula", "João",
    "Jean", "Marie", "Wislande", "Jean-Baptiste", "Fatou", "Thandi", "Priya", "Giulia",
    "Nadège", "Esperanza", "Ramón", "Dolores", "Xiomara", "Wilmer", "Yusleidy", "Anselmo",
]  # fmt: skip
LAST_NAMES = [
    "Pérez", "González", "Rodríguez", "Hernández", "Martínez", "García", "Silva", "Mendoza",
    "Rojas", "Quispe", "Mamani", "da Silva", "Santos", "Pierre", "Joseph", "Jean-Louis",
    "Diop", "Ndlovu", "Sharma", "Rossi", "Castillo", "Guerrero", "Blanco", "Villarroel",
    "Chirinos", "Colmenares", "Aponte", "Marcano", "Salazar", "Urdaneta",
]  # fmt: skip
OTHER_KINDS = [
    (OrganizationKind.SOCIAL_MOVEMENT, {"es": "Movimiento {x}", "pt": "Movimento {x}", "fr": "Mouvement {x}", "ht": "Mouvman {x}", "en": "{x} Movement"}),
    (OrganizationKind.UNION, {"es": "Sindicato {x}", "pt": "Sindicato {x}", "fr": "Syndicat {x}", "ht": "Sendika {x}", "en": "{x} Union"}),
    (OrganizationKind.COOPERATIVE, {"es": "Cooperativa {x}", "pt": "Cooperativa {x}", "fr": "Coopérative {x}", "ht": "Koperativ {x}", "en": "{x} Cooperative"}),
    (OrganizationKind.COMMUNITY_MEDIA, {"es": "Radio Comunitaria {x}", "pt": "Rádio Comunitária {x}", "fr": "Radio communautaire {x}", "ht": "Radyo kominotè {x}", "en": "{x} Community Radio"}),
    (OrganizationKind.SCHOOL, {"es": "Escuela de Formación {x}", "pt": "Escola de Formação {x}", "fr": "École de formation {x}", "ht": "Lekòl fòmasyon {x}", "en": "{x} Training School"}),
    (OrganizationKind.PARTY, {"es": "Partido {x}", "pt": "Partido {x}", "fr": "Parti {x}", "ht": "Pati {x}", "en": "{x} Party"}),
]  # fmt: skip
OTHER_THEMES = {
    "es": ["Campesino", "de Mujeres", "Sin Tierra", "Popular", "de Pescadores", "Indígena", "Obrero", "de la Semilla"],
    "pt": ["Camponês", "de Mulheres", "Sem Terra", "Popular", "dos Pescadores", "Indígena", "Operário", "da Semente"],
    "fr": ["Paysan", "des Femmes", "Sans Terre", "Populaire", "des Pêcheurs", "Autochtone", "Ouvrier", "de la Semence"],
    "ht": ["Peyizan", "Fanm", "San Tè", "Popilè", "Pechè", "Endijèn", "Travayè", "Semans"],
    "en": ["Peasant", "Women's", "Landless", "People's", "Fishers'", "Indigenous", "Workers'", "Seed"],
}  # fmt: skip


@dataclass(frozen=True)
class DemoSummary:
    organizations: int
    communes: int
    councils: int
    others: int
    countries: int
    people: int
    roles: int
    pending_requests: int


def _people(rng: random.Random, count: int, start: int) -> list[User]:
    users = []
    for number in range(start, start + count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        user = User(
            username=f"demo-{number:05d}",
            display_name=f"{first} {last}",
            language=rng.choice(["es", "es", "es", "pt", "fr", "ht", "en"]),
            profile_visibility=Visibility.PUBLIC if number % 3 else Visibility.SERVER,
        )
        user.set_unusable_password()
        users.append(user)
    User.objects.bulk_create(users, batch_size=1000)
    return list(User.objects.filter(username__in=[u.username for u in users]).order_by("username"))


@transaction.atomic
def load_demo(*, total_organizations: int = 10_000, seed: int = 2026) -> DemoSummary:
    """Create the demo federation. Refuses to run on a registry that has organizations."""
    if Organization.objects.exists():
        raise RuntimeError("The registry is not empty; the demo only loads into an empty one.")
    rng = random.Random(seed)
    regions = {region.code: region for region in Region.objects.all()}
    languages = {language.code: language for language in Language.objects.all()}
    today = date(2026, 11, 1)
    organizations: list[Organization] = []

    def make(
        kind: str, name: str, country: str, region: str, language: str, **extra: Any
    ) -> Organization:
        organization = Organization(
            kind=kind,
            name=name,
            name_language=language,
            slug=extra.pop("slug", None) or slugify(name)[:70],
            country=country,
            region=regions[region],
            description=extra.pop("description", DEMO_NOTES[language]),
            description_language=language,
            founded_on=today - timedelta(days=rng.randint(200, 7000)),
            **extra,
        )
        organizations.append(organization)
        return organization

    confederation = make(
        OrganizationKind.NETWORK,
        "Confederación Minga de Pueblos",
        "VE",
        "south-america",
        "es",
        slug="confederacion-minga",
        names={
            "en": "Minga Confederation of Peoples",
            "pt": "Confederação Minga dos Povos",
            "fr": "Confédération Minga des peuples",
            "ht": "Konfederasyon Minga Pèp yo",
        },
        description=DEMO_NOTE
        + "\n\nLa confederación de comunas, movimientos y organizaciones del poder popular.",
    )
    national_network = make(
        OrganizationKind.NETWORK,
        "Red Nacional de Comuneras y Comuneros",
        "VE",
        "south-america",
        "es",
        slug="red-nacional-comuneros",
        names={"en": "National Network of Communards"},
    )

    communes_target = 3_200
    others_target = 200
    councils_target = max(0, total_organizations - communes_target - others_target - 2)
    weights = [state[1] for state in VENEZUELAN_STATES]
    communes: list[Organization] = []
    used_names: set[str] = set()
    for number in range(1, communes_target + 1):
        state, _w, lat, lon = rng.choices(VENEZUELAN_STATES, weights)[0]
        name = f"{rng.choice(COMMUNE_KINDS)} {rng.choice(HEROES)} {rng.choice(PLACES)}"
        if name in used_names:
            name = f"{name} {number}"
        used_names.add(name)
        communes.append(
            make(
                OrganizationKind.COMMUNE,
                name,
                "VE",
                "south-america",
                "es",
                slug=f"comuna-{number:04d}-{slugify(name)[:50]}",
                area=state,
                registry_number=f"COM-{number:05d}",
                latitude=Decimal(str(round(lat + rng.uniform(-0.6, 0.6), 5))),
                longitude=Decimal(str(round(lon + rng.uniform(-0.6, 0.6), 5))),
            )
        )
    councils: list[tuple[Organization, Organization]] = []
    for number in range(1, councils_target + 1):
        commune = communes[(number - 1) % len(communes)]
        name = f"Consejo Comunal {rng.choice(PLACES)} {rng.choice(['I', 'II', 'III', 'Norte', 'Sur', 'Centro'])}"
        councils.append(
            (
                make(
                    OrganizationKind.COMMUNAL_COUNCIL,
                    f"{name} ({commune.area})",
                    "VE",
                    "south-america",
                    "es",
                    slug=f"consejo-{number:05d}",
                    area=commune.area,
                    registry_number=f"CC-{number:06d}",
                ),
                commune,
            )
        )
    others: list[Organization] = []
    for number in range(1, others_target + 1):
        country, region, language = COUNTRIES[(number - 1) % len(COUNTRIES)]
        kind, patterns = OTHER_KINDS[(number - 1) % len(OTHER_KINDS)]
        theme_index = rng.randrange(len(OTHER_THEMES["es"]))
        name = (
            patterns[language].format(x=OTHER_THEMES[language][theme_index])
            + f" {country}-{number}"
        )
        names = {
            other: patterns[other].format(x=OTHER_THEMES[other][theme_index])
            + f" {country}-{number}"
            for other in ("es", "en", "pt", "fr")
            if other != language
        }
        others.append(
            make(
                kind,
                name,
                country,
                region,
                language,
                slug=f"org-{number:03d}-{slugify(name)[:50]}",
                names=names,
            )
        )
    Organization.objects.bulk_create(organizations, batch_size=1000)
    saved = {o.slug: o for o in Organization.objects.all()}
    for organization in organizations:
        organization.pk = saved[organization.slug].pk

    through = Organization.languages.through
    language_rows = [
        through(organization_id=o.pk, language_id=o.name_language) for o in organizations
    ]
    indigenous = ["wayuu", "qu", "ay", "gn", "arn", "nah"]
    for commune in communes[::9]:
        language_rows.append(
            through(organization_id=commune.pk, language_id=rng.choice(indigenous))
        )
    through.objects.bulk_create(
        [row for row in language_rows if row.language_id in languages],
        batch_size=2000,
        ignore_conflicts=True,
    )

    contacts = []
    for organization in [confederation, national_network, *others]:
        contacts.append(
            ContactChannel(
                organization=organization,
                kind=ContactKind.EMAIL,
                value=f"{organization.slug[:40]}@example.org",
            )
        )
    ContactChannel.objects.bulk_create(contacts)

    since = today - timedelta(days=900)
    relations = [
        OrganizationRelation(
            member=o,
            parent=confederation,
            kind=RelationKind.MEMBER_OF,
            status=RelationStatus.ACTIVE,
            started_on=since,
        )
        for o in [national_network, *others]
    ]
    relations += [
        OrganizationRelation(
            member=c,
            parent=national_network,
            kind=RelationKind.MEMBER_OF,
            status=RelationStatus.ACTIVE,
            started_on=since,
        )
        for c in communes
    ]
    relations += [
        OrganizationRelation(
            member=council,
            parent=commune,
            kind=RelationKind.PART_OF,
            status=RelationStatus.ACTIVE,
            started_on=since,
        )
        for council, commune in councils
    ]
    OrganizationRelation.objects.bulk_create(relations, batch_size=2000)
    RelationEvent.objects.bulk_create(
        [
            RelationEvent(relation=relation, to_status=RelationStatus.ACTIVE, reason="Demo data")
            for relation in OrganizationRelation.objects.all()
        ],
        batch_size=2000,
    )

    people = _people(rng, 2 + len(others) + len(communes) // 8 + 40, 1)
    roles: list[Role] = []
    coordinators, people = people[:2], people[2:]
    for person in coordinators:
        roles.append(
            Role(
                person=person,
                organization=confederation,
                kind=RoleKind.COORDINATOR,
                started_on=since,
            )
        )
    for organization, person in zip(others, people, strict=False):
        roles.append(
            Role(
                person=person,
                organization=organization,
                kind=RoleKind.SPOKESPERSON,
                started_on=since,
            )
        )
    rest = people[len(others) :]
    for commune, person in zip(communes[::8], rest, strict=False):
        roles.append(
            Role(person=person, organization=commune, kind=RoleKind.SPOKESPERSON, started_on=since)
        )
    Role.objects.bulk_create(roles, batch_size=1000)

    congress = Body.objects.create(
        organization=confederation,
        kind=BodyKind.CONGRESS,
        slug="congreso",
        name="Congreso de la Confederación",
        names={
            "en": "Congress of the Confederation",
            "pt": "Congresso da Confederação",
            "fr": "Congrès de la Confédération",
            "ht": "Kongrè Konfederasyon an",
        },
    )
    Body.objects.create(
        organization=confederation,
        parent=congress,
        kind=BodyKind.COMMISSION,
        slug="comision-promotora",
        name="Comisión Promotora",
        names={"en": "Promoting Commission"},
    )
    for code, region_row in regions.items():
        Body.objects.create(
            organization=confederation,
            parent=congress,
            kind=BodyKind.REGIONAL_ASSEMBLY,
            slug=f"asamblea-{code}",
            name=f"Asamblea regional: {region_row.name}",
            names={"en": f"Regional assembly: {region_row.names.get('en', region_row.name)}"},
        )
    DelegateAccreditation.objects.bulk_create(
        [
            DelegateAccreditation(
                person=role.person,
                organization=role.organization,
                body=congress,
                term_start=today,
                term_end=today + timedelta(days=730),
            )
            for role in roles[2:60]
        ]
    )

    # A few newcomers waiting for an answer.
    applicants = _people(rng, 5, 90_000)
    for number, applicant in enumerate(applicants, start=1):
        country, region, language = COUNTRIES[(number * 5) % len(COUNTRIES)]
        organization = Organization.objects.create(
            kind=OrganizationKind.COOPERATIVE,
            name=f"Cooperativa Nueva {number} ({country})",
            slug=f"nueva-{number}",
            country=country,
            region=regions[region],
            name_language=language,
            description=DEMO_NOTE,
            visibility=Visibility.ORGANIZATIONS,
        )
        organization.visible_to_organizations.add(confederation)
        organization.custodians.add(applicant)
        Role.objects.create(
            person=applicant,
            organization=organization,
            kind=RoleKind.SPOKESPERSON,
            started_on=today,
        )
        relation = OrganizationRelation.objects.create(
            member=organization,
            parent=confederation,
            kind=RelationKind.MEMBER_OF,
            status=RelationStatus.PENDING,
            motivation="Queremos sumarnos a la Minga.",
            requested_by=applicant,
        )
        RelationEvent.objects.create(
            relation=relation, to_status=RelationStatus.PENDING, actor=applicant
        )

    audit.record(
        actor=SYSTEM,
        action=RegistryEvent.DEMO_LOAD,
        target=confederation,
        changes={"organizations": [None, Organization.objects.count()]},
        reason=f"seed {seed}",
    )
    return DemoSummary(
        organizations=Organization.objects.count(),
        communes=len(communes),
        councils=len(councils),
        others=len(others),
        countries=Organization.objects.values("country").distinct().count(),
        people=User.objects.filter(username__startswith="demo-").count(),
        roles=Role.objects.count(),
        pending_requests=OrganizationRelation.objects.filter(status=RelationStatus.PENDING).count(),
    )
