import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jipp.core.text import STOPWORDS, fts_query, stem, stem_tokens, stemmed_text, tokens, word_count


@pytest.fixture(scope="module")
def fts():
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE VIRTUAL TABLE doc USING fts5(stems)")
    for text in (
        "Pelayanan kesehatan ibu dan anak di puskesmas",
        "Penerbitan akta kelahiran keliling",
        "Inovasi pendidikan inklusif",
        "Adaptasi layanan perizinan",
    ):
        connection.execute("INSERT INTO doc(stems) VALUES (?)", (stemmed_text(text),))
    yield connection
    connection.close()


def search(connection, user_text):
    query = fts_query(user_text)
    if not query:
        return []
    return [row[0] for row in connection.execute("SELECT rowid FROM doc WHERE doc MATCH ? ORDER BY rowid", (query,))]


def test_tokens_lowercase_and_split_on_punctuation():
    assert tokens("Layanan SI-AKRAB (2021): 1.000 warga!") == ["layanan", "si", "akrab", "2021", "1", "000", "warga"]


def test_tokens_same_for_ascii_and_unicode_paths():
    # The ASCII fast path must split exactly like the regex used for other texts.
    text = "Dinas_Kesehatan, COVID-19; ibu\thamil\n(2021)"
    assert tokens(text) == tokens(text + " é")[:-1]


def test_stem_pysastrawi_roots_for_the_search_example():
    words = ("pelayanan", "kesehatan", "layanan", "sehat")
    assert [stem(word) for word in words] == ["layan", "sehat", "layan", "sehat"]


def test_stemmed_text_pelayanan_kesehatan_equals_layanan_sehat():
    assert stemmed_text("Pelayanan Kesehatan") == stemmed_text("layanan sehat") == "layan sehat"


def test_stem_tokens_drop_stopwords():
    assert stem_tokens("inovasi yang dan di desa") == ["inovasi", "desa"]
    assert {"yang", "dan", "di", "masing"} <= STOPWORDS


def test_word_count_counts_chunks_with_letters_or_digits():
    assert word_count("COVID-19 masing-masing Rp1.000.000 - ... warga") == 4
    assert word_count("   ") == 0


def test_fts_query_stems_and_prefixes_last_token():
    assert fts_query('pelayanan "kesehat') == '"layan" AND ("sehat"* OR "kesehat"*)'


def test_fts_query_trailing_space_means_complete_word():
    assert fts_query("pelayanan kesehatan ") == '"layan" AND "sehat"'


def test_fts_query_neutralises_operators():
    # Operator words become plain (quoted) terms; Indonesian stopwords ("ibu", "x") go.
    assert fts_query('Sehat AND (ibu OR NOT anak) NEAR "kia":posyandu ^rujuk -x*') == (
        '"sehat" AND "and" AND "or" AND "not" AND "anak" AND "near" AND "kia" AND "posyandu" AND "rujuk"'
    )


def test_fts_query_nothing_searchable_is_empty():
    assert fts_query('  "" ** () : - ^ ') == ""
    assert fts_query("yang dan ") == ""


def test_fts_query_layanan_sehat_finds_pelayanan_kesehatan(fts):
    assert search(fts, "layanan sehat ") == [1]


def test_fts_query_prefix_kesehat_finds_kesehatan(fts):
    assert search(fts, "kesehat") == [1]


def test_fts_query_raw_prefix_finds_unstemmable_fragment(fts):
    assert search(fts, "puskes") == [1]
    assert search(fts, "inova") == [3]


def test_fts_query_stopword_prefix_still_matches(fts):
    # "ada" is a stopword, but typed as a prefix it may be the start of "adaptasi".
    assert search(fts, "ada") == [4]


# Mostly FTS5's special characters and keywords, plus arbitrary Unicode.
FTS_SYNTAX = st.text(alphabet=st.sampled_from("abcAND ORNT\"*^():-+{}[],.'\\éİ\u0301 \t1"), max_size=40)


@settings(max_examples=400, deadline=None)
@given(FTS_SYNTAX | st.text(max_size=40))
def test_fts_query_any_input_is_valid_fts5(fts, user_text):
    query = fts_query(user_text)
    if query:
        fts.execute("SELECT count(*) FROM doc WHERE doc MATCH ?", (query,)).fetchone()
