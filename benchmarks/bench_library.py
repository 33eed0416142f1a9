"""The library with 100,000 items in four languages: full index build, search latency and
item page latency, server-side.

Builds a fresh SQLite database (WAL) in a temporary data directory with the production
settings, loads the starter vocabulary (migrations), inserts the generated items in bulk
(their creation is not what is measured), then times:

- the full index build (``rebuild_item_index``, what ``minga reindex`` runs: reading the
  items and their subjects, tags, ingredients and steps from the database, analysing each
  text with its language's stemmer plus trigrams, writing tantivy segments);
- searches through ``selectors.search_items`` as the search page calls it (the engine's
  hits, counts and the six facets, with protocols applied, then the items' card columns
  and snippets),
  for one- and three-word queries, as an anonymous reader and as a protocol member;
- item pages through Django's whole stack (middleware, view, template, database), for
  items made through the services (formulas with ingredients and steps).

    python benchmarks/bench_library.py [--items 100000] [--queries 200] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the tests' factories

from bench_registry import configure, percentile

WORDS = {
    "es": [
        "semilla",
        "maíz",
        "frijol",
        "papa",
        "abono",
        "biol",
        "compost",
        "suelo",
        "agua",
        "riego",
        "cosecha",
        "siembra",
        "huerto",
        "comunidad",
        "mujeres",
        "abuelas",
        "saber",
        "luna",
        "lluvia",
        "helada",
        "plaga",
        "control",
        "natural",
        "ceniza",
        "ajo",
        "ají",
        "quinua",
        "yuca",
        "café",
        "cacao",
        "leche",
        "melaza",
        "estiércol",
        "fermentar",
        "mezclar",
        "tanque",
        "tierra",
        "bosque",
    ],
    "pt": [
        "semente",
        "milho",
        "feijão",
        "batata",
        "adubo",
        "biofertilizante",
        "composto",
        "solo",
        "água",
        "irrigação",
        "colheita",
        "plantio",
        "horta",
        "comunidade",
        "mulheres",
        "avós",
        "saber",
        "lua",
        "chuva",
        "geada",
        "praga",
        "controle",
        "natural",
        "cinza",
        "alho",
        "pimenta",
        "mandioca",
        "café",
        "cacau",
        "leite",
        "melaço",
        "esterco",
        "fermentar",
    ],
    "fr": [
        "semence",
        "maïs",
        "haricot",
        "pomme",
        "engrais",
        "compost",
        "sol",
        "eau",
        "irrigation",
        "récolte",
        "semis",
        "jardin",
        "communauté",
        "femmes",
        "aïeules",
        "savoir",
        "lune",
        "pluie",
        "gel",
        "ravageur",
        "lutte",
        "naturelle",
        "cendre",
        "ail",
        "piment",
        "manioc",
        "café",
        "cacao",
        "lait",
        "mélasse",
        "fumier",
        "fermenter",
        "mélanger",
        "cuve",
        "terre",
        "forêt",
    ],
    "en": [
        "seed",
        "maize",
        "bean",
        "potato",
        "fertilizer",
        "compost",
        "soil",
        "water",
        "irrigation",
        "harvest",
        "sowing",
        "garden",
        "community",
        "women",
        "elders",
        "knowledge",
        "moon",
        "rain",
        "frost",
        "pest",
        "control",
        "natural",
        "ash",
        "garlic",
        "pepper",
        "cassava",
        "coffee",
        "cocoa",
        "milk",
        "molasses",
        "manure",
        "ferment",
        "mix",
        "tank",
        "earth",
        "forest",
    ],
}
KINDS = ["formula", "project", "plan", "knowledge", "document", "audio"]
COUNTRIES = ["BO", "PE", "EC", "BR", "VE", "HT", "FR", "MX", "CO", "AR"]
ONE_WORD = {
    "es": ["semilla", "maíz", "abono", "lluvia"],
    "pt": ["sementes", "milho"],
    "fr": ["semences", "compost"],
    "en": ["seeds", "harvest"],
}
THREE_WORDS = [
    "semilla de maíz",
    "abono de estiércol",
    "adubo para milho",
    "lune et semis",
    "seed and harvest",
    "control natural plagas",
    "água para irrigação",
]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(values) * 1000, 2),
        "p95_ms": round(percentile(values, 0.95) * 1000, 2),
    }


def generate(count: int, rng: random.Random) -> dict[str, Any]:
    from tests import factories

    from minga.common.permissions import SYSTEM
    from minga.library import services
    from minga.library.access import access_groups_of
    from minga.library.content import AccessData
    from minga.library.models import Item, Subject
    from minga.library.types import Audience

    organizations = [
        factories.organization(name=f"Comuna {n}", slug=f"comuna-{n}") for n in range(40)
    ]
    protocol = services.protocol_create(
        actor=SYSTEM, community=organizations[0], name="Saberes reservados", kind="strict"
    )
    subjects = list(Subject.objects.all())
    through = Item.subjects.through
    protocols_through = Item.protocols.through
    languages = list(WORDS)
    batch, links, strict = [], [], []
    made = 0
    while made < count:
        for _ in range(min(2000, count - made)):
            language = languages[made % 4]
            words = WORDS[language]
            restricted = made % 50 == 0
            batch.append(
                Item(
                    kind=KINDS[made % len(KINDS)],
                    organization=organizations[made % len(organizations)],
                    title=" ".join(rng.choices(words, k=5)).capitalize(),
                    summary=" ".join(rng.choices(words, k=25)),
                    body=" ".join(rng.choices(words, k=120)),
                    language=language,
                    country=COUNTRIES[made % len(COUNTRIES)],
                    license="cc-by-sa" if made % 3 else "community",
                    audience=Audience.RESTRICTED if restricted else Audience.EVERYONE,
                )
            )
            made += 1
        created = Item.objects.bulk_create(batch)
        for item in created:
            for subject in rng.sample(subjects, 2):
                links.append(through(item_id=item.pk, subject_id=subject.pk))
            if item.audience == Audience.RESTRICTED:
                strict.append(protocols_through(item_id=item.pk, protocol_id=protocol.pk))
        through.objects.bulk_create(links)
        protocols_through.objects.bulk_create(strict)
        groups = access_groups_of([item.pk for item in created])
        for item in created:
            item.access_group = groups[item.pk]
        Item.objects.bulk_update(created, ["access_group"])
        batch, links, strict = [], [], []
    from tests.library import factories as library

    pages = [
        library.item(organizations[n % 40], library.formula_data(title=f"Biol número {n}"))
        for n in range(100)
    ]
    pages += [
        library.item(
            organizations[0],
            library.knowledge_data(title=f"Saber reservado {n}"),
            access=AccessData(protocols=[protocol]),
        )
        for n in range(20)
    ]
    member = services_member(protocol)
    return {"protocol": protocol, "pages": pages, "member": member}


def services_member(protocol: Any) -> Any:
    from tests import factories

    from minga.common.permissions import SYSTEM
    from minga.library import services

    person = factories.person("socia")
    services.membership_grant(actor=SYSTEM, protocol=protocol, person=person)
    return person


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="minga-bench-library-") as directory:
        configure(Path(directory))
        from django.contrib.auth.models import AnonymousUser
        from django.core.management import call_command
        from django.test import Client

        from minga.library import selectors
        from minga.library.search import forget_concepts, rebuild_item_index

        call_command("migrate", verbosity=0)
        call_command("collectstatic", "--noinput", verbosity=0)
        rng = random.Random(12)
        started = time.perf_counter()
        world = generate(args.items, rng)
        generate_seconds = time.perf_counter() - started
        print(f"generated in {generate_seconds:.1f} s", file=sys.stderr, flush=True)

        builds: list[float] = []
        for _ in range(args.runs):
            started = time.perf_counter()
            indexed = rebuild_item_index()
            builds.append(time.perf_counter() - started)
            print(f"index build: {builds[-1]:.1f} s", file=sys.stderr, flush=True)
        forget_concepts()

        readers = {"anonymous": AnonymousUser(), "member": world["member"]}
        queries = {
            "one_word": [w for words in ONE_WORD.values() for w in words],
            "three_words": THREE_WORDS,
        }
        search: dict[str, Any] = {}
        for reader_name, reader in readers.items():
            for kind, words in queries.items():
                runs = []
                for _ in range(args.runs):
                    timings = []
                    for n in range(args.queries):
                        query = selectors.ItemQuery(q=words[n % len(words)])
                        started = time.perf_counter()
                        result = selectors.search_items(reader, query, fields=selectors.CARD_FIELDS)
                        timings.append(time.perf_counter() - started)
                        assert result.from_index
                    runs.append(summary(timings))
                    print(reader_name, kind, runs[-1], file=sys.stderr, flush=True)
                search[f"{reader_name}_{kind}"] = runs

        client = Client()
        client.force_login(world["member"])
        pages = world["pages"]
        page_runs = []
        for _ in range(args.runs):
            timings = []
            for n in range(args.queries):
                url = pages[n % len(pages)].get_absolute_url()
                started = time.perf_counter()
                response = client.get(url)
                timings.append(time.perf_counter() - started)
                assert response.status_code == 200, url
            page_runs.append(summary(timings))
            print("item page", page_runs[-1], file=sys.stderr, flush=True)

    def spread(runs: list[dict[str, float]], key: str) -> dict[str, float]:
        values = [run[key] for run in runs]
        return {"median": statistics.median(values), "min": min(values), "max": max(values)}

    report = {
        "items": args.items,
        "indexed": indexed,
        "generate_seconds": round(generate_seconds, 1),
        "index_build_seconds": {
            "median": round(statistics.median(builds), 1),
            "min": round(min(builds), 1),
            "max": round(max(builds), 1),
        },
        "search_p95_ms": {name: spread(runs, "p95_ms") for name, runs in search.items()},
        "search_median_ms": {name: spread(runs, "median_ms") for name, runs in search.items()},
        "item_page_p95_ms": spread(page_runs, "p95_ms"),
        "item_page_median_ms": spread(page_runs, "median_ms"),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
