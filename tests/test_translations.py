"""The translation catalogues are complete, and the compiled files match their sources."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "src" / "minga" / "locale"
TEMPLATES = Path(__file__).resolve().parent.parent / "src" / "minga"
TRANSLATED = ["es", "pt", "fr", "ht"]


def _entries(language: str) -> list[tuple[str, list[str], bool]]:
    """(msgid, msgstrs, fuzzy) for each entry of a .po file, header excluded."""
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = []
    for block in text.split("\n\n"):
        fuzzy = "#, fuzzy" in block
        strings: dict[str, str] = {}
        key = None
        for line in block.splitlines():
            match = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) (".*")$', line)
            if match:
                key = match.group(1)
                strings[key] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and key:
                strings[key] += ast.literal_eval(line)
        if strings.get("msgid"):
            entries.append(
                (strings["msgid"], [v for k, v in strings.items() if k.startswith("msgstr")], fuzzy)
            )
    return entries


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_string_is_translated(language: str) -> None:
    """No empty and no fuzzy entry: fuzzy entries are ignored at run time."""
    entries = _entries(language)
    assert len(entries) > 200
    missing = [msgid for msgid, strings, fuzzy in entries if fuzzy or not all(strings)]
    assert missing == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_compiled_catalogue_matches_the_source(language: str) -> None:
    """The committed .mo gives exactly the .po's translation for every singular entry."""
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    for msgid, strings, _fuzzy in _entries(language):
        if len(strings) == 1:
            assert catalogue.gettext(msgid) == strings[0], msgid


def test_template_strings_are_in_the_catalogue() -> None:
    """Every {% translate "…" %} in a template has an entry (run `make messages` if not)."""
    known = {msgid for msgid, _strings, _fuzzy in _entries("es")}
    found = set()
    for template in TEMPLATES.rglob("*.html"):
        found |= set(re.findall(r'{% translate "([^"]+)" %}', template.read_text(encoding="utf-8")))
    assert found
    assert sorted(found - known) == []
