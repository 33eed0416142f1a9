"""Results, rules and methods read in the reader's language: pages are built from the tally's
structured data with gettext, never from the tally core's English sentences."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from minga.assemblies import exports, services
from minga.assemblies.models import Vote

from .conftest import Congress, after_close, open_window, proposal_to_vote

ENGLISH = [
    "valid votes",
    "has more than",
    "no block",
    "last continuing candidate",
    "majority of the votes",
    "transferred",
    "unbeaten",
    "strongest paths",
    "adopted:",
    "Elected or chosen: adopted",
    "excluded",
    "rule 52",
    "lost to truncation",
    "tie between",
]


def _reader(language: str) -> Client:
    client = Client()
    client.cookies["minga_language"] = language
    return client


def _visible_text(html: str) -> str:
    """What a reader sees: the text of the page's main part, without tags or attributes."""
    main = re.search(r"<main.*?</main>", html, re.S)
    text = re.sub(r"<[^>]+>", " ", main.group(0) if main else html)
    return re.sub(r"\s+", " ", text)


def _closed(congress: Congress, method: str) -> Vote:
    proposal = proposal_to_vote(congress) if method in ("majority", "consent") else None
    vote = services.vote_create(
        actor=congress.chair,
        body=congress.body,
        proposal=proposal,
        title="Votación",
        method=method,
        choices=[] if proposal else ["Ana", "Beto", "Carla"],
        **open_window(),
    )
    ballots = {
        "majority": [{"option": "yes"}, {"option": "no"}, {"option": "yes"}],
        "consent": [
            {"position": "consent"},
            {"position": "objection", "reason": "Falta el presupuesto"},
            {"position": "stand_aside"},
        ],
        "irv": [
            {"ranking": ["Ana", "Beto"]},
            {"ranking": ["Beto"]},
            {"ranking": ["Carla", "Beto"]},
        ],
        "stv": [
            {"ranking": ["Ana", "Beto"]},
            {"ranking": ["Beto"]},
            {"ranking": ["Carla", "Beto"]},
        ],
        "schulze": [{"ranking": ["Ana", "Beto"]}, {"ranking": ["Beto"]}, {"ranking": ["Carla"]}],
    }[method]
    for delegate, contents in zip(congress.delegates, ballots, strict=True):
        services.ballot_cast(actor=delegate, vote=vote, contents=contents)
    services.vote_close(actor=congress.chair, vote=vote, now=after_close())
    return vote


@pytest.mark.parametrize("method", ["majority", "consent", "irv", "stv", "schulze"])
def test_result_page_reads_in_french_without_the_core_english(
    congress: Congress, method: str
) -> None:
    """A French reader sees the result, the method and the options in French; none of the
    tally core's English explanations appear."""
    vote = _closed(congress, method)
    text = _visible_text(_reader("fr").get(vote.get_absolute_url()).content.decode())
    for english in ENGLISH:
        assert english not in text, english
    assert "Résultat" in text
    if method == "majority":
        assert "Oui" in text and "Abstention" in text and "yes" not in text
        assert "Majorité (oui / non / abstention)" in text
        assert "« Oui » a plus de 1/2 des 6 votes valides." in text
    if method == "consent":
        assert "Objection" in text and "Falta el presupuesto" in text


def test_rules_list_the_methods_in_the_readers_language(congress: Congress) -> None:
    """The rules on a body's page name the allowed methods in French for a French reader."""
    text = _visible_text(
        _reader("fr").get(reverse("assemblies:body", args=["congreso"])).content.decode()
    )
    assert "Vote unique transférable" in text and "Majorité (oui / non / abstention)" in text
    assert "majority, qualified" not in text and "stv" not in text


def test_documents_translate_the_options_of_a_result(congress: Congress) -> None:
    """Minutes and adoption records give the result with the options in the reader's language."""
    vote = _closed(congress, "majority")
    from django.utils import translation

    with translation.override("fr"):
        summary = exports.summary(vote, vote.tally)
    assert summary.startswith("Adopté") and "Oui: 4" in summary and "yes" not in summary
