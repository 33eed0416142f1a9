"""``LongSelect`` writes the same list Django's ``Select`` writes through its templates:
the same attributes, options, labels (escaped) and choice."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from django import forms
from hypothesis import given, settings
from hypothesis import strategies as st

from minga.common.forms import LongSelect


class _Parsed(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.texts.append(data.strip())


def _parsed(html: str) -> tuple[list[Any], list[str]]:
    parser = _Parsed()
    parser.feed(html)
    return parser.tags, parser.texts


text = st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=12)


@settings(max_examples=150, deadline=None)
@given(
    choices=st.lists(st.tuples(text, text), max_size=8, unique_by=lambda pair: pair[0]),
    group=st.lists(st.tuples(text, text), max_size=3, unique_by=lambda pair: pair[0]),
    pick=st.integers(min_value=-1, max_value=10),
    required=st.booleans(),
)
def test_it_writes_what_djangos_select_writes(
    choices: list[tuple[str, str]], group: list[tuple[str, str]], pick: int, required: bool
) -> None:
    values = [value for value, _label in choices]
    all_choices: list[Any] = [("", "All"), *choices]
    if group and not {value for value, _label in group} & set(values):
        all_choices.append(("Grupo <b>", group))
    chosen = values[pick] if 0 <= pick < len(values) else None
    attrs = {"id": "id_country", "required": required, "class": "wide"}

    ours = LongSelect(choices=all_choices).render("country", chosen, attrs)
    django = forms.Select(choices=all_choices).render("country", chosen, attrs)

    assert _parsed(ours) == _parsed(django)
    assert "<b>" not in ours.replace("&lt;b&gt;", "")


def test_a_list_written_once_is_written_again_in_each_readers_language() -> None:
    """The options are kept per language: a lazy label and the country names follow the
    reader, and the chosen option is marked on the kept list without changing it."""
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    from minga.common.forms import CountryChoices

    select = LongSelect(choices=CountryChoices(gettext_lazy("All")))
    pages = {}
    for language in ("es", "fr", "es"):
        with translation.override(language):
            pages[language] = select.render("country", "DE", {"id": "c"})
    with translation.override("es"):
        assert select.render("country", "", {"id": "c"}).count(" selected") == 1
    assert 'value="DE" selected>Alemania<' in pages["es"]
    assert 'value="DE" selected>Allemagne<' in pages["fr"]
    assert ">Todos<" in pages["es"] and ">Tous<" in pages["fr"]
    assert pages["es"].count(" selected") == pages["fr"].count(" selected") == 1


def test_a_label_already_written_as_html_is_not_escaped_twice() -> None:
    from django.utils.safestring import mark_safe

    html = LongSelect(choices=[("a", mark_safe("<i>a</i>")), ("b", "<i>b</i>")]).render("x", "b")
    assert '<option value="a"><i>a</i></option>' in html
    assert '<option value="b" selected>&lt;i&gt;b&lt;/i&gt;</option>' in html
