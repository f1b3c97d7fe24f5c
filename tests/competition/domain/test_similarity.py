import random

import pytest

from jipp.competition.domain.similarity import (
    build_index,
    check_section,
    find_near_duplicates,
    similar_titles,
)
from jipp.core.text import tokens
from jipp.core.textgen import TOPICS, make_innovation, proposal_sections

HEALTH = TOPICS[0]
GENUINE = (
    "Puskesmas Sleman membuka layanan pemeriksaan kehamilan keliling setiap Selasa. Bidan mendatangi "
    "dusun terpencil dengan mobil layanan, mencatat hasil pemeriksaan di aplikasi, dan merujuk ibu hamil "
    "berisiko tinggi ke rumah sakit dalam hari yang sama."
)


def codes(flags):
    return [flag.code for flag in flags]


def proposal(rng, region, topic=HEALTH):
    return "\n\n".join(proposal_sections(rng, make_innovation(rng, region, topic=topic)).values())


def light_edit(rng, text, share=0.15):
    sentences = text.split(". ")
    rng.shuffle(sentences)
    words = ". ".join(sentences).split(" ")
    for i in rng.sample(range(len(words)), int(len(words) * share)):
        words[i] = rng.choice(("warga", "petugas", "layanan", "daerah", "program", "cepat", "mudah"))
    return " ".join(words)


@pytest.fixture(scope="module")
def edition():
    rng = random.Random(7)
    corpus = [(f"old-{i}", proposal(rng, f"Kabupaten Lama {i % 5}")) for i in range(40)]
    fresh = {f"new-{i}": proposal(rng, f"Kabupaten Baru {i % 5}") for i in range(6)}
    sections = proposal_sections(rng, make_innovation(rng, "Kota Contoh", topic=HEALTH))
    source_sections = corpus[3][1].split("\n\n")
    sections["kolaborasi"] = source_sections[6]  # 1 of 7 sections copied
    sections["ringkasan"] = source_sections[0]
    queries = [
        *fresh.items(),
        ("verbatim", corpus[0][1]),
        ("light-edit", light_edit(rng, corpus[1][1])),
        ("renamed", fresh["new-0"].replace("Kabupaten Baru 0", "Kota Tiruan")),
        ("partial", "\n\n".join(sections.values())),
    ]
    index = build_index(corpus)
    return corpus, queries, index, find_near_duplicates(index, queries)


def pair_set(matches):
    return {(m.query_key, m.source_key) for m in matches}


def test_check_section_genuine_answer_has_no_flags():
    assert check_section(GENUINE) == []


def test_check_section_too_short_below_min_words():
    flags = check_section("Layanan cepat untuk warga.", min_words=20)
    assert codes(flags) == ["too_short"]
    assert flags[0].evidence == "4 words"


def test_check_section_repeated_characters():
    flags = check_section(GENUINE + " aaaaaaa ......")
    assert codes(flags) == ["repeated_characters"]
    assert flags[0].evidence == "aaaaaaa"


def test_check_section_digits_are_not_repeated_characters():
    assert check_section(GENUINE + " Anggaran Rp1000000 per tahun.") == []


def test_check_section_low_diversity_same_word():
    flags = check_section("inovasi inovasi inovasi inovasi inovasi layanan", min_words=3)
    assert codes(flags) == ["low_diversity"]
    assert flags[0].evidence == "'inovasi' 5 of 6 words"


def test_check_section_low_diversity_pasted_paragraph():
    assert codes(check_section(" ".join([GENUINE] * 3))) == ["low_diversity"]


@pytest.mark.parametrize("text", ["tes", "Test", "XXX", "belum ada", "Isi di sini.", "lorem ipsum dolor sit amet"])
def test_check_section_placeholder_text(text):
    assert codes(check_section(text, min_words=1)) == ["placeholder"]


@pytest.mark.parametrize("text", ["-", "...", "???"])
def test_check_section_placeholder_punctuation_only(text):
    assert "placeholder" in codes(check_section(text, min_words=1))


def test_check_section_lorem_ipsum_inside_long_text():
    assert codes(check_section(GENUINE + " Lorem ipsum dolor.")) == ["placeholder"]


def test_similar_titles_same_after_normalisation():
    matches = similar_titles(
        [
            (1, "Layanan Akta Keliling (Si Akrab) Kabupaten Sleman"),
            (2, "LAYANAN AKTA KELILING - SI AKRAB - KABUPATEN SLEMAN"),
            (3, "Gerakan Literasi Desa (Gelis) Kota Batu"),
        ]
    )
    assert [(m.first_key, m.second_key, m.same, m.score) for m in matches] == [(1, 2, True, 1.0)]


def test_similar_titles_nearly_same_above_threshold():
    matches = similar_titles(
        [
            ("a", "Layanan Akta Kelahiran Keliling Kabupaten Sleman"),
            ("b", "Layanan Akta Kelahiran Keliling Kabupaten Bantul"),
        ],
        threshold=0.85,
    )
    assert [(m.first_key, m.second_key, m.same) for m in matches] == [("a", "b", False)]
    assert 0.85 <= matches[0].score < 1


def test_similar_titles_same_topic_and_region_not_flagged():
    titles = [
        "Layanan Pemeriksaan Kehamilan Keliling (Si Bumil) Kabupaten Sleman",
        "Gerakan Imunisasi Dasar Lengkap (Gerimis) Kabupaten Sleman",
        "Klinik Kesehatan Jiwa Terpadu (Kejora) Kabupaten Sleman",
        "Pojok Gizi Balita (Pogi) Kabupaten Sleman",
        "Layanan Pemeriksaan Gizi Balita Keliling (Si Gibal) Kabupaten Sleman",
    ]
    assert similar_titles(list(enumerate(titles))) == []


def test_find_near_duplicates_verbatim_copy_of_last_year(edition):
    _, _, _, matches = edition
    match = next(m for m in matches if m.query_key == "verbatim")
    assert match.source_key == "old-0"
    assert match.score > 0.95


def test_find_near_duplicates_light_edit_copy(edition):
    _, _, _, matches = edition
    assert ("light-edit", "old-1") in pair_set(matches)
    assert next(m.score for m in matches if m.query_key == "light-edit") > 0.3


def test_find_near_duplicates_renamed_copy_within_edition(edition):
    _, _, _, matches = edition
    match = next(m for m in matches if {m.query_key, m.source_key} == {"new-0", "renamed"})
    assert match.score > 0.95


def test_find_near_duplicates_partial_copy(edition):
    _, _, _, matches = edition
    match = next(m for m in matches if m.query_key == "partial")
    assert match.source_key == "old-3"
    assert 0.05 < match.score < 0.4


def test_find_near_duplicates_unrelated_same_topic_not_flagged(edition):
    _, _, _, matches = edition
    involved = {key for m in matches for key in (m.query_key, m.source_key)}
    assert involved.isdisjoint({f"new-{i}" for i in range(1, 6)} | {f"old-{i}" for i in range(4, 40)})


def test_find_near_duplicates_passages_are_slices_that_overlap(edition):
    corpus, queries, _, matches = edition
    texts = dict(corpus) | dict(queries)
    for match in matches:
        assert match.passages
        for passage in match.passages:
            assert texts[match.query_key][passage.query_start : passage.query_end] == passage.query_text
            assert texts[match.source_key][passage.source_start : passage.source_end] == passage.source_text
            q_words, s_words = tokens(passage.query_text), tokens(passage.source_text)
            q_grams = {tuple(q_words[i : i + 3]) for i in range(len(q_words) - 2)}
            s_grams = {tuple(s_words[i : i + 3]) for i in range(len(s_words) - 2)}
            assert len(q_grams & s_grams) >= 2


def test_find_near_duplicates_verbatim_passage_is_whole_text(edition):
    corpus, _, _, matches = edition
    match = next(m for m in matches if m.query_key == "verbatim")
    assert len(match.passages) == 1
    assert match.passages[0].query_text == match.passages[0].source_text
    assert match.query_coverage == match.source_coverage == 1.0


def test_find_near_duplicates_scores_in_unit_interval_and_ordered(edition):
    _, queries, _, matches = edition
    order = {key: i for i, (key, _) in enumerate(queries)}
    assert all(0 <= m.score <= 1 and m.score == max(m.query_coverage, m.source_coverage) for m in matches)
    assert [order[m.query_key] for m in matches] == sorted(order[m.query_key] for m in matches)


def test_find_near_duplicates_deterministic(edition):
    corpus, queries, index, matches = edition
    assert find_near_duplicates(build_index(corpus), queries) == matches
    assert find_near_duplicates(index, queries) == matches


def test_find_near_duplicates_deterministic_across_workers():
    rng = random.Random(11)
    corpus = [(i, proposal(rng, "Kota Batu", topic=rng.choice(TOPICS))) for i in range(120)]
    queries = [("copy", corpus[5][1]), *[(f"q{i}", proposal(rng, "Kota Malang")) for i in range(110)]]
    one = find_near_duplicates(build_index(corpus, workers=1), queries, workers=1)
    two = find_near_duplicates(build_index(corpus, workers=2), queries, workers=2)
    assert one == two
    assert ("copy", 5) in pair_set(one)


def test_find_near_duplicates_empty_inputs():
    assert find_near_duplicates(build_index([]), [("a", "Layanan kesehatan ibu dan anak.")]) == []
    assert find_near_duplicates(build_index([("x", GENUINE)]), []) == []
