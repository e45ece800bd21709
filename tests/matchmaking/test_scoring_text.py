import pytest

from matchmaking.scoring.text import (
    analyse,
    canonical,
    certifications_from_text,
    codes_from_text,
    normalize,
    stem,
)


@pytest.mark.parametrize("word", ["pengecoran", "coran", "cor", "dicor", "casting"])
def test_canonical_casting_word_forms_share_one_root(word):
    assert canonical(word) == "cor"


@pytest.mark.parametrize("word", ["pengelasan", "las", "dilas", "lasan", "welding", "mengelas"])
def test_canonical_welding_word_forms_share_one_root(word):
    assert canonical(word) == "las"


@pytest.mark.parametrize("word", ["alumunium", "almunium", "aluminum", "aluminium"])
def test_canonical_aluminium_misspellings_fold_to_one_spelling(word):
    assert canonical(word) == "aluminium"


@pytest.mark.parametrize(
    ("word", "root"),
    [
        ("membubut", "bubut"),
        ("pembubutan", "bubut"),
        ("memotong", "potong"),
        ("menempa", "tempa"),
        ("penekukan", "tekuk"),
        ("menyepuh", "sepuh"),
        ("dikeraskan", "keras"),
        ("cetakan", "cetak"),
        ("perakitan", "rakit"),
        ("penggerindaan", "gerinda"),
        ("melayani", "layan"),
        ("pengefraisan", "frais"),
    ],
)
def test_stem_strips_affixes_with_nasal_recoding(word, root):
    assert canonical(word) == root


@pytest.mark.parametrize("word", ["kuningan", "perunggu", "kelabu", "ringan", "besi", "mesin", "tembaga"])
def test_stem_protected_words_survive(word):
    assert stem(word) == word


def test_normalize_lowercases_strips_punctuation_and_folds_variants():
    assert normalize("Bubut, FRIS & Pengelasan!") == "bubut frais las"


def test_codes_from_text_machining_prose_gives_turning_milling_cnc():
    codes = codes_from_text("kami melayani bubut dan frais CNC")
    assert set(codes) == {"turning", "milling", "cnc-machining"}


def test_codes_from_text_brass_casting_gives_process_and_material():
    codes = codes_from_text("coran kuningan")
    assert codes.keys() >= {"cast-brass-bronze", "brass"}
    assert "cast-grey-iron" not in codes


def test_codes_from_text_grey_iron_foundry():
    codes = codes_from_text("pengecoran besi kelabu")
    assert codes["cast-grey-iron"] >= 0.8
    assert codes["grey-iron"] >= 0.8


def test_codes_from_text_misspelled_aluminium_casting():
    codes = codes_from_text("Coran alumunium untuk velg dan piston")
    assert codes.keys() >= {"cast-aluminium", "aluminium"}


def test_codes_from_text_lathe_machine_means_turning():
    assert set(codes_from_text("dilengkapi mesin bubut sendiri")) == {"turning"}


def test_codes_from_text_induction_furnace_hints_casting_weakly():
    codes = codes_from_text("punya tanur induksi 500 kg")
    assert "cast-grey-iron" in codes
    assert max(codes.values()) < 0.5


def test_codes_from_text_negated_capability_is_ignored():
    codes = codes_from_text("Kami tidak melayani pengecoran, hanya pembubutan")
    assert set(codes) == {"turning"}


def test_codes_from_text_steel_grades_are_read():
    codes = codes_from_text("material SUS304 dan SS400")
    assert codes["stainless-steel"] == 1.0
    assert codes["carbon-steel"] == 1.0


def test_codes_from_text_treatments_and_fabrication():
    codes = codes_from_text("Pengelasan TIG/MIG, sepuh, powder coating, potong laser, galvanis celup")
    assert codes.keys() >= {"welding", "heat-treatment", "painting", "laser-cutting", "galvanizing"}


def test_codes_from_text_confidences_stay_in_unit_interval():
    codes = codes_from_text("bubut bubut bubut, pembubutan, mesin bubut, turning, lathe")
    assert 0.0 < codes["turning"] <= 1.0


def test_analyse_tokens_drop_stopwords_and_numbers():
    tokens = analyse("Kami melayani pengecoran untuk 20 ton per bulan").tokens
    assert tokens == ["cor"]


def test_certifications_from_text_reads_common_spellings():
    assert certifications_from_text("Bersertifikat ISO 9001:2015, SNI dan SMK3") == {
        "iso-9001",
        "sni",
        "smk3",
    }


@pytest.mark.parametrize(
    ("word", "root"),
    [("ngelas", "las"), ("ngecor", "cor"), ("ngebubut", "bubut"), ("nyepuh", "sepuh"), ("nempa", "tempa")],
)
def test_canonical_colloquial_nasal_forms_are_read(word, root):
    assert canonical(word) == root


def test_stem_leaves_unknown_n_words_alone():
    assert canonical("nikel") == "nikel"
    assert canonical("nodular") == "nodular"
