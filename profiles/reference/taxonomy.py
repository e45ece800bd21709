"""The capability vocabulary as plain data: process groups with their KBLI 2020 codes, processes with
the Indonesian words people type for them, materials and certifications.

The codes are the contract of DESIGN.md ("Capability vocabulary"); names, keywords and grouping are
ours to extend. Tuple order is display order (a data migration stores it as `position`). Keywords
are lower case, in Indonesian as IKM owners and buyers write them, including common spellings
(`fris`, `alumunium`) and the English loan words used in workshops (`hardening`, `press`).

KBLI (Klasifikasi Baku Lapangan Usaha Indonesia) 2020 is Peraturan BPS No. 2 Tahun 2020, still the
version OSS-RBA uses for NIB; titles are given in sentence case. How the groups map:

- casting: 24310 (iron and steel) and 24320 (non-ferrous, which includes aluminium die casting).
- forming: 25910, forging, pressing, stamping and roll-forming of metal (ISIC 2591).
- machining: 25920. ISIC 2592 "Treatment and coating of metals; machining" covers turning, milling,
  boring, grinding and the like done on a fee or contract basis, which is how IKM machine shops work;
  KBLI 2020 has no separate machining class.
- fabrication: 25111 and 25113 (fabricated structural steel for buildings, light and heavy), 25119
  (for other construction: towers, bridges), and 25920 for welding and cutting done as job work.
- treatment and finishing: 25920 again (heat treatment, plating, galvanising and painting of metal
  are all named in ISIC 2592).
- tooling and assembly: 25920 for moulds, dies and patterns made to a buyer's drawing (job work),
  and 28221 (machines and machine tools for metalworking, with their accessories) for toolmakers
  that sell jigs, fixtures and press tools as products. Not 28230: in KBLI 2020 that is "Industri
  mesin metalurgi" (converters, ladles, ingot moulds, rolling mills), not tooling. The 2593x classes
  (cutting tools and hand tools) fit blades and hand tools rather than dies, so they are not mapped.
"""

from __future__ import annotations

from dataclasses import dataclass

from .regions import Kabupaten, Province, load_kabupaten, load_provinces

__all__ = [
    "CERTIFICATIONS",
    "KBLI_CODES",
    "KBLI_VERSION",
    "MATERIALS",
    "PROCESSES",
    "PROCESS_GROUPS",
    "Certification",
    "Kabupaten",
    "KbliCode",
    "Material",
    "Process",
    "ProcessGroup",
    "Province",
    "load_kabupaten",
    "load_provinces",
]

KBLI_VERSION = "2020"


@dataclass(frozen=True, slots=True)
class KbliCode:
    code: str
    title: str
    version: str = KBLI_VERSION


@dataclass(frozen=True, slots=True)
class ProcessGroup:
    code: str
    name_id: str
    name_en: str
    kbli_codes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Process:
    code: str
    group: str
    name_id: str
    name_en: str
    keywords: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Material:
    code: str
    name_id: str
    name_en: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Certification:
    code: str
    name_id: str
    name_en: str
    description: str
    description_en: str


# KBLI 2020 five-digit classes of the metal industries (divisions 24 and 25) plus the ones the groups
# map to. Only classes whose code and title we could confirm are listed.
KBLI_CODES: tuple[KbliCode, ...] = (
    KbliCode("24101", "Industri besi dan baja dasar (iron and steel making)"),
    KbliCode("24102", "Industri penggilingan baja (steel rolling)"),
    KbliCode("24310", "Industri pengecoran besi dan baja"),
    KbliCode("24320", "Industri pengecoran logam bukan besi"),
    KbliCode("25111", "Industri barang dari logam bukan aluminium siap pasang untuk bangunan"),
    KbliCode("25112", "Industri barang dari logam aluminium siap pasang untuk bangunan"),
    KbliCode("25113", "Industri konstruksi berat siap pasang dari baja untuk bangunan"),
    KbliCode("25119", "Industri barang dari logam siap pasang untuk konstruksi lainnya"),
    KbliCode("25120", "Industri tangki, tandon air dan wadah dari logam"),
    KbliCode("25130", "Industri generator uap, bukan ketel pemanas"),
    KbliCode("25910", "Industri penempaan, pengepresan, pencetakan dan pembentukan logam; metalurgi bubuk"),
    KbliCode("25920", "Jasa industri untuk berbagai pengerjaan khusus logam dan barang dari logam"),
    KbliCode("25931", "Industri alat potong dan perkakas tangan untuk pertanian"),
    KbliCode("28221", "Industri mesin dan perkakas mesin untuk pengerjaan logam"),
)

PROCESS_GROUPS: tuple[ProcessGroup, ...] = (
    ProcessGroup("casting", "Pengecoran", "Casting", ("24310", "24320")),
    ProcessGroup("forming", "Pembentukan", "Forming", ("25910",)),
    ProcessGroup("machining", "Permesinan", "Machining", ("25920",)),
    ProcessGroup("fabrication", "Fabrikasi", "Fabrication", ("25111", "25113", "25119", "25920")),
    ProcessGroup(
        "treatment-finishing",
        "Perlakuan dan penyelesaian permukaan",
        "Treatment and finishing",
        ("25920",),
    ),
    ProcessGroup("tooling-assembly", "Perkakas dan perakitan", "Tooling and assembly", ("25920", "28221")),
)

_CASTING_WORDS = ("cor", "coran", "pengecoran", "casting")

PROCESSES: tuple[Process, ...] = (
    # casting
    Process(
        "cast-grey-iron",
        "casting",
        "Pengecoran besi cor kelabu",
        "Grey iron casting",
        (*_CASTING_WORDS, "besi cor", "cor besi", "besi tuang", "besi cor kelabu", "fc"),
    ),
    Process(
        "cast-ductile-iron",
        "casting",
        "Pengecoran besi cor nodular",
        "Ductile iron casting",
        (*_CASTING_WORDS, "besi cor nodular", "nodular", "besi ulet", "ductile", "fcd"),
    ),
    Process(
        "cast-steel",
        "casting",
        "Pengecoran baja",
        "Steel casting",
        (*_CASTING_WORDS, "cor baja", "baja cor", "baja tuang"),
    ),
    Process(
        "cast-aluminium",
        "casting",
        "Pengecoran aluminium",
        "Aluminium casting",
        (*_CASTING_WORDS, "cor aluminium", "cor alumunium", "aluminium", "alumunium", "gravity casting"),
    ),
    Process(
        "cast-brass-bronze",
        "casting",
        "Pengecoran kuningan dan perunggu",
        "Brass and bronze casting",
        (*_CASTING_WORDS, "cor kuningan", "cor perunggu", "kuningan", "perunggu", "cor logam"),
    ),
    Process(
        "die-casting",
        "casting",
        "Die casting (cetak tekan)",
        "Die casting",
        ("die casting", "diecasting", "cetak tekan", "pengecoran bertekanan", "hpdc", "cor tekan"),
    ),
    # forming
    Process(
        "stamping",
        "forming",
        "Stamping (pengepresan)",
        "Stamping",
        ("pres", "press", "tekan", "stamping", "pengepresan", "pon", "punching", "blanking"),
    ),
    Process(
        "deep-drawing",
        "forming",
        "Deep drawing (penarikan dalam)",
        "Deep drawing",
        ("deep drawing", "tarik dalam", "penarikan dalam", "pres tarik", "spinning"),
    ),
    Process(
        "forging",
        "forming",
        "Penempaan",
        "Forging",
        ("tempa", "penempaan", "pande", "pandai besi", "forging", "tempa panas"),
    ),
    Process(
        "bending",
        "forming",
        "Penekukan",
        "Bending",
        ("tekuk", "penekukan", "bending", "lipat", "lipat plat", "roll", "rol", "roll plat"),
    ),
    # machining
    Process(
        "turning",
        "machining",
        "Pembubutan",
        "Turning",
        ("bubut", "pembubutan", "bubut manual", "turning", "lathe"),
    ),
    Process(
        "milling",
        "machining",
        "Pengefraisan",
        "Milling",
        ("frais", "fris", "freis", "frais manual", "milling", "pengefraisan"),
    ),
    Process(
        "cnc-machining",
        "machining",
        "Permesinan CNC",
        "CNC machining",
        ("cnc", "bubut cnc", "milling cnc", "frais cnc", "machining center", "permesinan"),
    ),
    Process(
        "drilling",
        "machining",
        "Pengeboran",
        "Drilling",
        ("bor", "pengeboran", "pelubangan", "drilling", "tap", "ulir"),
    ),
    Process(
        "grinding",
        "machining",
        "Penggerindaan",
        "Grinding",
        ("gerinda", "gurinda", "penggerindaan", "grinding", "surface grinding", "asah"),
    ),
    # fabrication
    Process(
        "welding",
        "fabrication",
        "Pengelasan",
        "Welding",
        ("las", "pengelasan", "welding", "las listrik", "las argon", "las karbit", "mig", "tig", "smaw"),
    ),
    Process(
        "sheet-metal",
        "fabrication",
        "Fabrikasi pelat",
        "Sheet metal fabrication",
        ("pelat", "plat", "sheet metal", "fabrikasi", "fabrikasi plat", "plat strip", "kerajinan plat"),
    ),
    Process(
        "steel-structure",
        "fabrication",
        "Konstruksi baja",
        "Steel structure",
        ("konstruksi baja", "struktur baja", "rangka baja", "baja ringan", "kanopi", "fabrikasi baja"),
    ),
    Process(
        "laser-cutting",
        "fabrication",
        "Pemotongan laser",
        "Laser cutting",
        ("laser", "potong laser", "laser cutting", "cutting", "plasma", "potong plat"),
    ),
    # treatment and finishing
    Process(
        "heat-treatment",
        "treatment-finishing",
        "Perlakuan panas",
        "Heat treatment",
        (
            "sepuh",
            "penyepuhan",
            "hardening",
            "pengerasan",
            "quenching",
            "tempering",
            "karburasi",
            "annealing",
        ),
    ),
    Process(
        "electroplating",
        "treatment-finishing",
        "Pelapisan listrik (elektroplating)",
        "Electroplating",
        (
            "elektroplating",
            "electroplating",
            "lapis",
            "pelapisan",
            "krom",
            "chrome",
            "nikel",
            "verchroom",
            "vernikel",
            "lapis seng",
        ),
    ),
    Process(
        "galvanizing",
        "treatment-finishing",
        "Galvanisasi",
        "Galvanizing",
        ("galvanis", "galvanisasi", "galvanisir", "celup panas", "hot dip", "hdg", "galvanizing"),
    ),
    Process(
        "painting",
        "treatment-finishing",
        "Pengecatan",
        "Painting",
        ("cat", "pengecatan", "powder coating", "cat bakar", "cat oven", "coating", "painting"),
    ),
    # tooling and assembly
    Process(
        "mould-dies",
        "tooling-assembly",
        "Pembuatan cetakan dan dies",
        "Moulds and dies",
        ("cetakan", "mold", "mould", "moulding", "dies", "matras", "jig", "fixture", "press tool"),
    ),
    Process(
        "pattern-making",
        "tooling-assembly",
        "Pembuatan pola",
        "Pattern making",
        ("pola", "pola cor", "pola kayu", "pattern", "pembuatan pola", "core box"),
    ),
    Process(
        "assembly",
        "tooling-assembly",
        "Perakitan",
        "Assembly",
        ("rakit", "perakitan", "assembly", "assy", "sub-assembly"),
    ),
)

MATERIALS: tuple[Material, ...] = (
    Material("grey-iron", "Besi cor kelabu", "Grey cast iron", ("besi cor", "fc", "fc25", "besi tuang")),
    Material("ductile-iron", "Besi cor nodular", "Ductile iron", ("nodular", "fcd", "besi ulet")),
    Material("carbon-steel", "Baja karbon", "Carbon steel", ("baja", "st37", "st41", "s45c", "baja karbon")),
    Material(
        "alloy-steel", "Baja paduan", "Alloy steel", ("baja paduan", "scm440", "skd11", "baja perkakas")
    ),
    Material(
        "stainless-steel",
        "Baja tahan karat",
        "Stainless steel",
        ("stainless", "sus", "sus304", "tahan karat"),
    ),
    Material("aluminium", "Aluminium", "Aluminium", ("aluminium", "alumunium", "aluminum")),
    Material("brass", "Kuningan", "Brass", ("kuningan",)),
    Material("bronze", "Perunggu", "Bronze", ("perunggu",)),
    Material("copper", "Tembaga", "Copper", ("tembaga",)),
    Material(
        "steel-plate", "Pelat baja", "Steel plate", ("plat baja", "pelat baja", "plat hitam", "plat besi")
    ),
    Material(
        "galvanized-sheet",
        "Pelat galvanis",
        "Galvanised sheet",
        ("seng", "plat galvanis", "bjls", "galvalum"),
    ),
)

CERTIFICATIONS: tuple[Certification, ...] = (
    Certification(
        "iso-9001",
        "ISO 9001",
        "ISO 9001",
        "Sistem manajemen mutu",
        "Quality management system",
    ),
    Certification(
        "iso-14001",
        "ISO 14001",
        "ISO 14001",
        "Sistem manajemen lingkungan",
        "Environmental management system",
    ),
    Certification(
        "iatf-16949",
        "IATF 16949",
        "IATF 16949",
        "Sistem manajemen mutu industri otomotif",
        "Automotive quality management system",
    ),
    Certification(
        "sni",
        "SNI",
        "SNI",
        "Standar Nasional Indonesia (sertifikat produk penggunaan tanda SNI)",
        "Indonesian National Standard (product certificate to use the SNI mark)",
    ),
    Certification(
        "tkdn",
        "TKDN",
        "TKDN",
        "Tingkat Komponen Dalam Negeri (sertifikat Kementerian Perindustrian)",
        "Local content level (certified by the Ministry of Industry)",
    ),
    Certification(
        "smk3",
        "SMK3",
        "SMK3",
        "Sistem Manajemen Keselamatan dan Kesehatan Kerja",
        "Occupational health and safety management system",
    ),
)
