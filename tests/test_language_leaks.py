"""No page says anything in a language other than its reader's.

The demo federation is loaded, then every kind of page reachable by links from the home page
(at most two pages per URL pattern) is read in each interface language, signed in as a
commune's delegate who coordinates the network and anonymously. A page fails when it shows
an interface sentence of the catalogues in English (an untranslated string) or in another
interface language (a fallback). What people write (names, descriptions) is not checked: it
is in the language its writer chose. Sentences are the catalogue's messages of three words or
more without placeholders, so an ordinary word shared by two languages is not a leak.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from tests import factories
from tests.test_languages import DJANGO_STRINGS
from tests.test_translations import _entries

LANGUAGES = ["es", "pt", "fr", "ht"]
SKIP = ("/admin/", "/api/", "/media/", "/static/", "/i18n/", "/accounts/logout")
PAGES_PER_PATTERN = 2
MAX_PAGES = 160
ATTRIBUTES = re.compile(r'(?:placeholder|title|aria-label|alt)="([^"]*)"')


def _sentence(text: str) -> bool:
    return len(text.split()) >= 3 and "%" not in text and "{" not in text and "<" not in text


def _catalogue(language: str) -> dict[str, str]:
    return {
        msgid: strings[0]
        for msgid, strings, fuzzy in _entries(language)
        if not fuzzy and strings and strings[0]
    }


def _visible_text(page: str) -> str:
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    attributes = " ".join(ATTRIBUTES.findall(page))
    text = re.sub(r"(?s)<[^>]+>", " ", page)
    return " ".join(html.unescape(text + " " + attributes).split())


def _foreign_sentences() -> dict[str, dict[str, str]]:
    """For each language, the sentences that must not appear, each with what it is."""
    catalogues = {language: _catalogue(language) for language in LANGUAGES}
    foreign: dict[str, dict[str, str]] = {}
    for language in LANGUAGES:
        own = set(catalogues[language].values())
        found: dict[str, str] = {}
        for msgid, translated in catalogues[language].items():
            if _sentence(msgid) and translated != msgid and msgid not in own:
                found[msgid] = "English"
        for other in LANGUAGES:
            if other == language:
                continue
            for msgid, translated in catalogues[other].items():
                if (
                    _sentence(translated)
                    and translated not in own
                    and translated != catalogues[language].get(msgid)
                ):
                    found.setdefault(translated, other)
        for text in DJANGO_STRINGS:
            if _sentence(text):
                found.setdefault(text, "English (Django)")
        foreign[language] = found
    return foreign


def _written_by_people() -> set[str]:
    """Texts in the database: people wrote them in the language they chose (the demo's unit
    "Horas de trabajo" is Spanish on every page, as it would be, and so is the scope of a
    commune's consent, "Compartir en la biblioteca de la federación")."""
    from django.apps import apps

    written: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if getattr(field, "concrete", False) and field.get_internal_type() in (
                "CharField",
                "TextField",
            ):
                values = model.objects.values_list(field.name, flat=True).distinct()[:5000]
                written.update(value for value in values if value)
    return written


def _crawl(client: Client) -> list[str]:
    """Paths of the site's pages reachable from home, at most two per URL pattern."""
    seen: set[str] = set()
    per_pattern: dict[str, int] = defaultdict(int)
    queue = ["/"]
    pages: list[str] = []
    while queue and len(pages) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        try:
            pattern = resolve(path).route
        except Resolver404:
            continue
        if per_pattern[pattern] >= PAGES_PER_PATTERN:
            continue
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        per_pattern[pattern] += 1
        pages.append(path)
        for link in re.findall(r'href="([^"#]+)"', response.content.decode()):
            parts = urlsplit(html.unescape(link))
            if parts.netloc or not parts.path.startswith("/") or parts.path.startswith(SKIP):
                continue
            if Path(parts.path).suffix in {".csv", ".json", ".pdf", ".ics", ".xml", ".zip"}:
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return pages


def test_no_page_speaks_another_language(db: None) -> None:
    from minga.registry.models import Role

    call_command("demo", organizations=300, verbosity=0)
    role = (
        Role.objects.filter(kind="coordinator", organization__kind="network")
        .select_related("person")
        .first()
    )
    assert role is not None
    written = _written_by_people()
    written_text = "\n".join(written)
    foreign = {
        language: {text: origin for text, origin in sentences.items() if text not in written}
        for language, sentences in _foreign_sentences().items()
    }
    leaks: dict[str, set[str]] = defaultdict(set)
    # The coordinator signs in with their second factor, as they must.
    clients = {True: factories.verified_client(role.person), False: Client()}
    for signed_in in (True, False):
        for language in LANGUAGES:
            client = clients[signed_in]
            client.cookies["minga_language"] = language
            pages = _crawl(client)
            assert len(pages) > (20 if signed_in else 8), pages
            for path in pages:
                text = _visible_text(client.get(path).content.decode())
                for sentence, origin in foreign[language].items():
                    # Whole words only: Portuguese "Limite de crédito" is not French
                    # "Limite de crédit".
                    if (
                        sentence in text
                        and re.search(rf"(?<!\w){re.escape(sentence)}(?!\w)", text)
                        and sentence not in written_text  # a title that starts with it
                    ):
                        who = "delegate" if signed_in else "anonymous"
                        leaks[f"{language} {who} {path}"].add(f"{origin}: {sentence}")
    assert not leaks, "\n".join(f"{page}: {sorted(found)}" for page, found in leaks.items())
