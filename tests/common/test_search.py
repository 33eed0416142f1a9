"""The search index: stemming per language, prefixes, and no query syntax from users."""

from pathlib import Path

from minga.common.search import SearchDocument, SearchIndex


def _index(tmp_path: Path) -> SearchIndex:
    index = SearchIndex("test", tmp_path / "idx")
    index.rebuild(
        [
            SearchDocument(
                pk=1,
                names="Comuna Simón Bolívar",
                text_by_language={"es": "Productoras de semillas nativas"},
            ),
            SearchDocument(
                pk=2,
                names="Cooperativa Sementes do Sul",
                text_by_language={"pt": "Guardiãs das sementes crioulas"},
            ),
            SearchDocument(
                pk=3, names="Radio Kominotè", text_by_language={"ht": "Radyo pou peyizan yo"}
            ),
            SearchDocument(
                pk=4,
                names="Farmers Union",
                text_by_language={"en": "Organizing farmers and fishers"},
            ),
        ]
    )
    return index


def test_stemming_follows_each_language(tmp_path: Path) -> None:
    """A singular finds plurals in Spanish, Portuguese and English texts."""
    index = _index(tmp_path)
    assert index.search("semilla") == [1]
    assert index.search("semente") == [2]
    assert index.search("farmer") == [4]


def test_accents_are_folded_and_names_match_by_prefix(tmp_path: Path) -> None:
    """'simon' finds 'Simón', and a name's beginning finds it while typing."""
    index = _index(tmp_path)
    assert index.search("simon") == [1]
    assert index.search("bol") == [1]
    assert index.search("kominote") == [3]


def test_query_syntax_in_user_input_is_not_interpreted(tmp_path: Path) -> None:
    """Quotes, colons and operators are read as words, never as query syntax or errors."""
    index = _index(tmp_path)
    assert index.search('pk:1 OR "') == []
    assert index.search("names:(") == []
    assert index.search("   ") == []


def test_upsert_and_delete_keep_index_in_step(tmp_path: Path) -> None:
    """Updating a document replaces it; deleting removes it."""
    index = _index(tmp_path)
    index.upsert([SearchDocument(pk=1, names="Comuna Renombrada")], delete_pks=[2])
    assert index.search("bolivar") == []
    assert index.search("renombrada") == [1]
    assert index.search("sementes") == []
