"""The shipped reference data: regions of Indonesia, the capability taxonomy and the name matcher.

Pure data, no database: `pytest -p no:django tests/profiles/test_reference_data.py` runs these alone.
"""

import pytest

from profiles.reference.regions import (
    kabupaten_by_name_key,
    load_kabupaten,
    load_provinces,
    normalise_kabupaten_name,
)
from profiles.reference.taxonomy import (
    CERTIFICATIONS,
    KBLI_CODES,
    MATERIALS,
    PROCESS_GROUPS,
    PROCESSES,
)

# DESIGN.md, "Capability vocabulary": these codes are the contract.
DESIGN_PROCESSES = {
    "casting": [
        "cast-grey-iron",
        "cast-ductile-iron",
        "cast-steel",
        "cast-aluminium",
        "cast-brass-bronze",
        "die-casting",
    ],
    "forming": ["stamping", "deep-drawing", "forging", "bending"],
    "machining": ["turning", "milling", "cnc-machining", "drilling", "grinding"],
    "fabrication": ["welding", "sheet-metal", "steel-structure", "laser-cutting"],
    "treatment and finishing": ["heat-treatment", "electroplating", "galvanizing", "painting"],
    "tooling and assembly": ["mould-dies", "pattern-making", "assembly"],
}
DESIGN_MATERIALS = [
    "grey-iron",
    "ductile-iron",
    "carbon-steel",
    "alloy-steel",
    "stainless-steel",
    "aluminium",
    "brass",
    "bronze",
    "copper",
    "steel-plate",
    "galvanized-sheet",
]
DESIGN_CERTIFICATIONS = ["iso-9001", "iso-14001", "iatf-16949", "sni", "tkdn", "smk3"]


@pytest.fixture(scope="module")
def provinces():
    return load_provinces()


@pytest.fixture(scope="module")
def kabupaten():
    return load_kabupaten()


def test_regions_counts_match_kepmendagri_2025(provinces, kabupaten):
    assert len(provinces) == 38
    assert len(kabupaten) == 514
    assert sum(k.kind == "kota" for k in kabupaten) == 98
    assert sum(k.kind == "kabupaten" for k in kabupaten) == 416


def test_regions_codes_unique_and_in_kemendagri_form(provinces, kabupaten):
    assert len({p.code for p in provinces}) == len(provinces)
    assert len({k.code for k in kabupaten}) == len(kabupaten)
    assert all(len(p.code) == 2 and p.code.isdigit() for p in provinces)
    assert all(k.code.startswith(f"{k.province_code}.") and len(k.code) == 5 for k in kabupaten)


def test_kabupaten_every_province_exists_and_has_kabupaten(provinces, kabupaten):
    province_codes = {p.code for p in provinces}
    assert {k.province_code for k in kabupaten} == province_codes


def test_regions_coordinates_within_indonesia(provinces, kabupaten):
    outside = [
        r.name for r in [*provinces, *kabupaten] if not (-11 <= r.latitude <= 6 and 95 <= r.longitude <= 141)
    ]
    assert outside == []


def test_kabupaten_names_official_form_matches_kind(kabupaten):
    assert all(k.name.startswith("Kota ") == (k.kind == "kota") for k in kabupaten)
    assert all(k.name.startswith(("Kota ", "Kabupaten ")) for k in kabupaten)


@pytest.mark.parametrize(
    ("name", "province_code"),
    [
        ("Kabupaten Tegal", "33"),
        ("Kabupaten Klaten", "33"),
        ("Kota Semarang", "33"),
        ("Kabupaten Sidoarjo", "35"),
        ("Kota Surabaya", "35"),
        ("Kota Bandung", "32"),
        ("Kabupaten Bekasi", "32"),
    ],
)
def test_kabupaten_metal_centres_present(kabupaten, name, province_code):
    matches = [k for k in kabupaten if k.name == name]
    assert [k.province_code for k in matches] == [province_code]


def test_kabupaten_tegal_coordinates_near_slawi(kabupaten):
    tegal = next(k for k in kabupaten if k.name == "Kabupaten Tegal")
    assert tegal.code == "33.28"
    assert abs(tegal.latitude - -6.98) < 0.2 and abs(tegal.longitude - 109.14) < 0.2


def test_kabupaten_name_keys_unique(kabupaten):
    index = kabupaten_by_name_key(kabupaten)
    assert len(index) == 514


@pytest.mark.parametrize(
    ("typed", "official"),
    [
        ("kab. klaten", "Kabupaten Klaten"),
        ("Kab. Klaten", "Kabupaten Klaten"),
        ("KAB KLATEN", "Kabupaten Klaten"),
        ("kab.klaten", "Kabupaten Klaten"),
        ("  Kabupaten   Tegal ", "Kabupaten Tegal"),
        ("kota surabaya", "Kota Surabaya"),
        ("Kota\u00a0Bandung", "Kota Bandung"),
        ("Kota Adm. Jakarta Pusat", "Kota Administrasi Jakarta Pusat"),
        ("Kota Jakarta Pusat", "Kota Administrasi Jakarta Pusat"),
        ("Kab. Kepulauan Seribu", "Kabupaten Administrasi Kepulauan Seribu"),
        ("Kabupaten Kepulauan Siau Tagulandang Biaro", "Kabupaten Kep. Siau Tagulandang Biaro"),
        ("Kabupaten Toli - Toli", "Kabupaten Toli-Toli"),
    ],
)
def test_normalise_kabupaten_name_matches_official(kabupaten, typed, official):
    index = kabupaten_by_name_key(kabupaten)
    assert index[normalise_kabupaten_name(typed)].name == official


def test_normalise_kabupaten_name_keeps_kabupaten_and_kota_apart():
    assert normalise_kabupaten_name("Kab. Bandung") != normalise_kabupaten_name("Kota Bandung")
    assert normalise_kabupaten_name("Kabupaten Kotabaru") == "kabupaten kotabaru"


def test_normalise_kabupaten_name_without_kind_matches_nothing(kabupaten):
    index = kabupaten_by_name_key(kabupaten)
    assert normalise_kabupaten_name("Bandung") not in index
    assert normalise_kabupaten_name("Kabklaten") not in index


def test_taxonomy_process_codes_are_design_contract():
    assert [p.code for p in PROCESSES] == [code for codes in DESIGN_PROCESSES.values() for code in codes]


def test_taxonomy_process_grouping_follows_design():
    groups = {g.code: g for g in PROCESS_GROUPS}
    assert [g.name_en.lower() for g in PROCESS_GROUPS] == list(DESIGN_PROCESSES)
    for group in PROCESS_GROUPS:
        assert [p.code for p in PROCESSES if p.group == group.code] == DESIGN_PROCESSES[group.name_en.lower()]
    assert all(p.group in groups for p in PROCESSES)


def test_taxonomy_material_and_certification_codes_are_design_contract():
    assert [m.code for m in MATERIALS] == DESIGN_MATERIALS
    assert [c.code for c in CERTIFICATIONS] == DESIGN_CERTIFICATIONS


def test_taxonomy_every_entry_has_indonesian_and_english_names():
    for entry in [*PROCESS_GROUPS, *PROCESSES, *MATERIALS, *CERTIFICATIONS]:
        assert entry.name_id.strip() and entry.name_en.strip(), entry.code
    assert all(c.description.strip() and c.description_en.strip() for c in CERTIFICATIONS)
    assert next(c for c in CERTIFICATIONS if c.code == "tkdn").description.startswith(
        "Tingkat Komponen Dalam Negeri"
    )


def test_taxonomy_every_group_maps_to_known_kbli_2020_codes():
    known = {k.code for k in KBLI_CODES}
    for group in PROCESS_GROUPS:
        assert group.kbli_codes, group.code
        assert set(group.kbli_codes) <= known, group.code


def test_taxonomy_kbli_codes_five_digits_unique_version_2020():
    assert len({k.code for k in KBLI_CODES}) == len(KBLI_CODES)
    assert all(len(k.code) == 5 and k.code.isdigit() and k.version == "2020" and k.title for k in KBLI_CODES)
    titles = {k.code: k.title for k in KBLI_CODES}
    assert titles["24310"] == "Industri pengecoran besi dan baja"
    assert titles["24320"] == "Industri pengecoran logam bukan besi"


def test_taxonomy_keywords_lowercase_and_present():
    for process in PROCESSES:
        assert process.keywords, process.code
        assert all(k == k.strip().lower() and k for k in process.keywords), process.code
        assert len(set(process.keywords)) == len(process.keywords), process.code


@pytest.mark.parametrize(
    ("keyword", "process_code"),
    [
        ("bubut", "turning"),
        ("frais", "milling"),
        ("fris", "milling"),
        ("las", "welding"),
        ("pengelasan", "welding"),
        ("cor", "cast-grey-iron"),
        ("pengecoran", "cast-aluminium"),
        ("pres", "stamping"),
        ("tekan", "stamping"),
        ("sepuh", "heat-treatment"),
        ("hardening", "heat-treatment"),
        ("galvanis", "galvanizing"),
        ("celup panas", "galvanizing"),
    ],
)
def test_taxonomy_keyword_finds_process(keyword, process_code):
    assert keyword in next(p for p in PROCESSES if p.code == process_code).keywords


@pytest.mark.django_db
def test_a_regency_coded_outside_its_province_is_refused():
    from django.db import IntegrityError, transaction

    from profiles.models import Kabupaten, Province

    with pytest.raises(IntegrityError, match="kabupaten_code_within_its_province"), transaction.atomic():
        Kabupaten.objects.create(code="35.99", province=Province.objects.get(code="33"), name="Kabupaten Contoh",
                                 name_key="kabupaten contoh", kind="kabupaten", latitude=-7.0, longitude=110.0)

    assert not Kabupaten.objects.filter(code="35.99").exists()  # 35 is Jawa Timur: its filter would miss it


@pytest.mark.django_db
def test_admin_adding_a_regency_coded_outside_its_province_gets_a_message(client):
    from profiles.models import Kabupaten
    from tests.factories import AdminFactory

    client.force_login(AdminFactory())
    response = client.post("/admin/profiles/kabupaten/add/", {
        "code": "35.99", "province": "33", "name": "Kabupaten Contoh", "kind": "kabupaten",
        "latitude": "-7.0", "longitude": "110.0"})

    assert response.status_code == 200
    assert "diawali kode provinsinya" in response.content.decode()  # Indonesian, the default
    assert not Kabupaten.objects.filter(code="35.99").exists()
