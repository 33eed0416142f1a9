"""Search: stemming per language, trigrams for languages without a stemmer, facets and
snippets counted only over what the reader may see, cross-language search through the
vocabulary, and the database listing when the index is missing."""

from __future__ import annotations

import io
import shutil
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from minga.common.permissions import SYSTEM
from minga.common.search import get_index
from minga.library import selectors, services
from minga.library.content import AccessData
from minga.library.search import INDEX_NAME, forget_concepts, rebuild_item_index
from minga.library.selectors import ItemQuery
from tests import factories
from tests.library import factories as library


@pytest.fixture(autouse=True)
def _fresh_concepts() -> None:
    forget_concepts()


def _search(user: Any, q: str = "", **filters: Any) -> selectors.SearchResult:
    return selectors.search_items(user, ItemQuery(q=q, **{k: tuple(v) for k, v in filters.items()}))


def _titles(result: selectors.SearchResult) -> list[str]:
    return [item.title for item in result.items]


def test_a_spanish_word_finds_a_portuguese_item_through_a_shared_concept(community: Any) -> None:
    """“maíz” is the Spanish label of the concept maize; a Portuguese item about “milho”
    tagged with it is found, though the word appears nowhere in it."""
    portuguese = library.item(
        community,
        library.formula_data(
            title="Adubo para milho crioulo",
            summary="Fertilizante para a lavoura",
            body="Misturar e aplicar.",
            language="pt",
            subjects=["maize"],
            tags=[],
        ),
    )
    library.item(
        community, library.formula_data(title="Caldo de ceniza", summary="", subjects=["beans"])
    )
    rebuild_item_index()
    assert _titles(_search(AnonymousUser(), "maíz")) == [portuguese.title]
    assert _titles(_search(AnonymousUser(), "maize")) == [portuguese.title]


def test_broader_concepts_find_the_items_of_narrower_ones(community: Any) -> None:
    """“Cultivos” (crops) finds an item tagged only with maize."""
    item = library.item(
        community, library.formula_data(title="Abono", subjects=["maize"], summary="", body="")
    )
    rebuild_item_index()
    assert item.pk in [i.pk for i in _search(AnonymousUser(), "cultivos").items]


def test_each_language_is_stemmed_by_its_own_stemmer(community: Any) -> None:
    spanish = library.item(
        community, library.formula_data(title="Guardianas", summary="semillas nativas", subjects=[])
    )
    french = library.item(
        community,
        library.formula_data(
            title="Jardin", summary="les semences paysannes", language="fr", subjects=[]
        ),
    )
    rebuild_item_index()
    assert _titles(_search(AnonymousUser(), "semilla")) == [spanish.title]
    assert _titles(_search(AnonymousUser(), "semence")) == [french.title]


@pytest.mark.parametrize(
    ("language", "text", "query"),
    [
        ("qu", "chakrakunapi sarata tarpunchik", "chakra"),
        ("ay", "yapuchañataki jathanaka", "yapu"),
        ("gn", "ñemitỹrãme jasy rapére", "jasy"),
        ("ht", "Kiltivatè yo plante mayi nan sezon lapli", "kiltivate"),
    ],
)
def test_languages_without_a_stemmer_are_found_by_trigrams(
    community: Any, language: str, text: str, query: str
) -> None:
    """Quechua, Aymara, Guaraní and Haitian Creole: a word inside a longer one, or written
    without its accents, still finds the text."""
    item = library.item(
        community,
        library.knowledge_data(
            title="Yachay", summary=text, body="", language=language, subjects=[]
        ),
    )
    rebuild_item_index()
    assert [i.pk for i in _search(AnonymousUser(), query).items] == [item.pk]


def test_facets_and_counts_cover_only_what_the_reader_may_see(
    community: Any, strict_protocol: Any, member: Any
) -> None:
    """A strict formula is not counted for a stranger, in the total, in any facet, or in
    the snippets; its protocol's member sees it counted everywhere."""
    library.item(community, library.formula_data(title="Biol abierto"))
    library.item(
        community,
        library.formula_data(
            title="Biol sagrado", country="PE", license="community", license_text="x"
        ),
        access=AccessData(protocols=[strict_protocol]),
    )
    rebuild_item_index()
    stranger = factories.person("extrana")
    for reader in (AnonymousUser(), stranger):
        result = _search(reader, "biol")
        assert result.total == 1 and _titles(result) == ["Biol abierto"]
        assert {v: n for v, _l, n in result.facets["kind"]} == {"formula": 1}
        assert "PE" not in [v for v, _l, _n in result.facets["country"]]
        assert "community" not in [v for v, _l, _n in result.facets["license"]]
        assert all("sagrado" not in snippet for snippet in result.snippets.values())
    seen = _search(member, "biol")
    assert seen.total == 2 and {v: n for v, _l, n in seen.facets["kind"]} == {"formula": 2}
    assert "PE" in [v for v, _l, _n in seen.facets["country"]]


def test_snippets_highlight_the_words_and_escape_the_text(community: Any) -> None:
    library.item(
        community,
        library.formula_data(title="Bocashi", summary="Abono <script>alert(1)</script> con melaza"),
    )
    rebuild_item_index()
    result = _search(AnonymousUser(), "melaza")
    snippet = next(iter(result.snippets.values()))
    assert "<b>melaza</b>" in snippet and "<script>" not in snippet and "&lt;script&gt;" in snippet


def test_facet_filters_narrow_the_results(community: Any, other_org: Any) -> None:
    library.item(community, library.formula_data(title="Biol uno", country="BO"))
    library.item(other_org, library.formula_data(title="Biol dos", country="BR", language="pt"))
    rebuild_item_index()
    result = _search(AnonymousUser(), "biol", country=["BR"])
    assert _titles(result) == ["Biol dos"]
    assert _titles(_search(AnonymousUser(), "", organization=[str(community.pk)])) == ["Biol uno"]


def test_the_index_follows_changes_after_each_commit(
    community: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The worker's task reindexes after every change: new, edited, restricted, removed."""
    rebuild_item_index()
    with django_capture_on_commit_callbacks(execute=True):
        item = library.item(community, library.formula_data(title="Purín de ortiga"))
    assert _titles(_search(AnonymousUser(), "ortiga")) == ["Purín de ortiga"]
    with django_capture_on_commit_callbacks(execute=True):
        services.item_update(
            actor=SYSTEM, item=item, data=library.formula_data(title="Purín de cola de caballo")
        )
    assert _search(AnonymousUser(), "ortiga").total == 0
    protocol = library.protocol(community)
    with django_capture_on_commit_callbacks(execute=True):
        services.item_set_access(actor=SYSTEM, item=item, access=AccessData(protocols=[protocol]))
    assert _search(AnonymousUser(), "caballo").total == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.item_delete(actor=SYSTEM, item=item)
    assert get_index(INDEX_NAME).find("caballo", access=None).total == 0


def test_without_an_index_the_library_lists_from_the_database_and_says_so(
    community: Any, strict_item: Any
) -> None:
    library.item(community, library.formula_data(title="Biol de vaca"))
    shutil.rmtree(get_index(INDEX_NAME).directory, ignore_errors=True)
    result = _search(AnonymousUser(), "biol")
    assert not result.from_index and result.notes
    assert _titles(result) == ["Biol de vaca"]
    assert _search(AnonymousUser()).total == 1  # the strict item is not counted
    assert {v: n for v, _l, n in result.facets["kind"]} == {"formula": 1}


def test_reindex_rebuilds_every_registered_index(community: Any) -> None:
    library.item(community, library.formula_data(title="Supermagro"))
    out = io.StringIO()
    call_command("reindex", "--no-progress", stdout=out)
    assert _titles(_search(AnonymousUser(), "supermagro")) == ["Supermagro"]
    call_command("search_index", "--index", "library", "--no-progress", stdout=out)
    assert get_index("organizations").exists()


def test_reindex_missing_builds_only_the_indexes_that_cannot_be_read(community: Any) -> None:
    library.item(community, library.formula_data(title="Supermagro"))
    call_command("reindex", "--no-progress", stdout=io.StringIO())
    shutil.rmtree(get_index(INDEX_NAME).directory)
    out = io.StringIO()
    call_command("reindex", "--missing", "--no-progress", stdout=out)
    assert out.getvalue().splitlines() == ["library: 1 documents indexed."]
    assert _titles(_search(AnonymousUser(), "supermagro")) == ["Supermagro"]
    again = io.StringIO()
    call_command("reindex", "--missing", "--no-progress", stdout=again)
    assert again.getvalue() == ""


def test_the_search_page_reads_the_same_queries_for_one_card_or_many(
    community: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    """The page reads only its cards' columns (``CARD_FIELDS``), and reading them costs the
    same few queries for one result or five (a column left out of them would be read once
    per card)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    library.item(community, library.formula_data(title="Biol uno", country="BR"))
    rebuild_item_index()
    with CaptureQueriesContext(connection) as one:
        page = client.get("/library/?q=biol")
    assert page.status_code == 200 and "Biol uno" in page.content.decode()
    for n in range(4):
        library.item(community, library.formula_data(title=f"Biol {n}", place=f"Lugar {n}"))
    rebuild_item_index()
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get("/library/?q=biol")
    html = page.content.decode()
    assert html.count('class="card"') == 5 and "Lugar 3" in html and community.name in html


def test_access_groups_let_through_exactly_what_the_rule_lets_each_reader_read(
    community: Any, other_org: Any, strict_protocol: Any, member: Any, steward: Any
) -> None:
    """The index lets a reader through whole access groups after asking the rule about one
    item of each: for every reader, the items the index counts are those the visibility
    rule lets them read, across levels, protocols, rules, organizations and custodians."""
    from itertools import product

    from minga.common.models import Visibility
    from minga.library.types import ProtocolKind, ProtocolRule

    keeper = factories.person("guardiana")
    neighbour = factories.person("vecina")
    factories.role(neighbour, other_org, "member")
    insider = factories.person("comunera")
    factories.role(insider, community, "member")
    open_protocol = library.protocol(community, kind=ProtocolKind.OPEN)
    welcoming = library.protocol(community, include_community_members=True)
    other_member = factories.person("otra-socia")
    services.membership_grant(actor=SYSTEM, protocol=welcoming, person=other_member)
    admin = factories.person("raiz", is_superuser=True, is_staff=True)
    protocol_sets = [
        [],
        [strict_protocol],
        [open_protocol],
        [strict_protocol, open_protocol],
        [strict_protocol, welcoming],
    ]
    levels = [Visibility.PUBLIC, Visibility.SERVER, Visibility.ORGANIZATIONS, Visibility.CUSTODIANS]
    made = 0
    # Kept items first: a group's first item is then one its custodian reads by custody.
    for kept, level, shown_to, protocols, rule in product(
        (True, False), levels, ([other_org], [community]), protocol_sets, ProtocolRule.values
    ):
        if rule == ProtocolRule.ALL and len(protocols) < 2:
            continue
        if level != Visibility.ORGANIZATIONS and shown_to != [other_org]:
            continue
        made += 1
        library.item(
            community,
            library.formula_data(title=f"Bocashi {made}"),
            access=AccessData(
                visibility=level,
                visible_to=shown_to if level == Visibility.ORGANIZATIONS else [],
                custodians=[keeper] if kept else [],
                protocols=protocols,
                protocol_rule=rule,
            ),
        )
    rebuild_item_index()
    readers = [AnonymousUser(), factories.person("extrana"), member, steward, keeper]
    readers += [neighbour, insider, other_member, admin]
    for reader in readers:
        expected = selectors.visible_items(reader).count()
        found = _search(reader, "bocashi")
        assert found.total == expected, reader
        browsed = selectors.search_items(reader, ItemQuery(page_size=100))
        assert {item.pk for item in browsed.items} == set(
            selectors.visible_items(reader).values_list("pk", flat=True)
        ), reader
    assert 0 < selectors.visible_items(AnonymousUser()).count() < made
    # Taken out of the protocol, the member's search closes at once (no index change).
    before = _search(member, "bocashi").total
    services.membership_revoke(actor=SYSTEM, protocol=strict_protocol, person=member)
    member = type(member).objects.get(pk=member.pk)
    after = _search(member, "bocashi").total
    assert after == selectors.visible_items(member).count() < before


def test_a_members_search_carries_groups_and_a_custodians_own_items_as_keys(
    community: Any, strict_protocol: Any, member: Any
) -> None:
    """What the index is asked for: one token per group the member may read (not every
    restricted item), and a custodian's own restricted items by key."""
    keeper = factories.person("guardiana")
    for n in range(3):
        library.item(
            community,
            library.formula_data(title=f"Biol {n}"),
            access=AccessData(protocols=[strict_protocol]),
        )
    kept = library.item(
        community,
        library.formula_data(title="Biol guardado"),
        access=AccessData(protocols=[strict_protocol], custodians=[keeper]),
    )
    allowed = selectors.access_filter(member)
    assert not allowed.keys
    assert len([token for token in allowed.tokens if token.startswith("group:")]) == 1
    assert selectors.access_filter(keeper).keys == frozenset({kept.pk})
    assert not [t for t in selectors.access_filter(keeper).tokens if t.startswith("group:")]


def test_an_index_built_before_a_change_of_its_documents_reads_as_missing(
    community: Any, tmp_path: Any
) -> None:
    """A new revision of what documents hold (the access groups) makes an index built
    before unavailable, so the library lists from the database until ``minga reindex``."""
    from dataclasses import replace

    from minga.common.search import IndexUnavailableError, SearchIndex
    from minga.library.search import SCHEMA

    older = SearchIndex("library", tmp_path / "library", replace(SCHEMA, revision=1))
    older.rebuild([])
    with pytest.raises(IndexUnavailableError):
        SearchIndex("library", tmp_path / "library", SCHEMA).find("", access=None)


def test_an_item_closed_before_the_index_follows_is_not_shown(
    community: Any, strict_protocol: Any, member: Any
) -> None:
    """Between a change of access and the worker's reindexing, the index still says the
    item is public: the page's items are let through again on their rows' current
    audience and group, so the closed item shows only to those who may now read it."""
    item = library.item(community, library.formula_data(title="Biol de ortiga"))
    rebuild_item_index()
    services.item_set_access(
        actor=SYSTEM, item=item, access=AccessData(protocols=[strict_protocol])
    )  # no commit callbacks run here: the index is not told
    for reader in (AnonymousUser(), factories.person("extrana")):
        assert _titles(_search(reader, "ortiga")) == []
    assert _titles(_search(member, "ortiga")) == ["Biol de ortiga"]
