"""Deterministic synthetic IKMs and needs, with a labelled relevance set.

Why synthetic: real profiles are few and unlabelled; the scorer needs (a) 20,000 × 2,000 inputs for the
speed benchmark and (b) a ground truth to measure ranking quality against a baseline.

**How IKMs are made.** Each IKM draws an *archetype* (grey-iron foundry in Ceper, brass foundry in
Juwana, CNC shop in Sidoarjo, press shop in Bekasi, fabricator in Cilegon, ...; 10 % combine two) and from
it its **true** processes, materials, capacity and location (its cluster's coordinates plus a few km of
jitter). What the portal *sees* is a noisy view of that truth, as on the real forms:

* each true process is ticked with probability 0.6 and each true material with 0.7; 10 % of IKMs tick
  no process at all (they only wrote prose); 4 % tick one process they do not really have;
* the description mentions each true capability with probability 0.75 — in varied Indonesian word forms
  and misspellings ("coran alumunium", "pengelasan", "fris", "stenlis", "bubut CNC"; one time in ten a
  colloquial form or a plain typo, ``HARD_FORMS``) — plus products, machines and filler; 5 % also say what they do *not* do ("tidak melayani pengecoran");
* certificates carry expiry dates relative to the reference date; about a fifth are expired.

**How needs are made.** A buyer (PT KAI, PLN, AHM, INKA, ...) picks one of its product templates (brake
blocks, manhole covers, galvanised brackets, alloy shafts, dies, steel towers ...) with true required
processes, materials and certificates. Each required process is ticked with probability 0.9 (at least
one always), materials with 0.9; the description restates the work in prose.

**Relevance labels** (graded 0–3), computed from the *hidden truth*, never from what was ticked or
written:

* a required process is *covered* when the IKM truly has it, or truly has a strong substitute
  (taxonomy similarity ≥ 0.8, e.g. CNC machining for turning — a buyer's engineer would accept it);
* a material is covered the same way; a need without materials is covered;
* 3 = every required process and a material covered, every required certificate truly valid (held and not
  expired), and true capacity ≥ half the monthly quantity;
* 2 = every process and a material covered, but a required certificate or the capacity falls short;
* 1 = every process covered but the wrong metal, or at least half of the processes covered;
* 0 = otherwise.

Distance, verification and prose similarity are deliberately *not* in the labels: they are preferences of
the engine, not facts about capability, so they cannot inflate its NDCG.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from matchmaking.scoring.features import IkmFeatures, NeedFeatures
from matchmaking.scoring.taxonomy import (
    CERTIFICATION_CODES,
    CERTIFICATION_INDEX,
    MATERIAL_CODES,
    MATERIAL_INDEX,
    PROCESS_CODES,
    PROCESS_INDEX,
    material_similarity_matrix,
    process_similarity_matrix,
)

P, M, C = len(PROCESS_CODES), len(MATERIAL_CODES), len(CERTIFICATION_CODES)
REFERENCE_DATE = date(2026, 6, 1)
STRONG_SUBSTITUTE = 0.8

#: kabupaten → (lat, lon)
CLUSTERS: dict[str, tuple[float, float]] = {
    "Kabupaten Tegal": (-6.98, 109.13),
    "Kabupaten Klaten": (-7.66, 110.62),
    "Kabupaten Pati": (-6.71, 111.10),
    "Kabupaten Boyolali": (-7.52, 110.55),
    "Kabupaten Sidoarjo": (-7.45, 112.71),
    "Kabupaten Pasuruan": (-7.64, 112.90),
    "Kota Surabaya": (-7.25, 112.75),
    "Kabupaten Gresik": (-7.16, 112.65),
    "Kabupaten Bekasi": (-6.24, 107.00),
    "Kabupaten Tangerang": (-6.18, 106.63),
    "Kota Bandung": (-6.91, 107.61),
    "Kota Cilegon": (-6.00, 106.05),
    "Kabupaten Purbalingga": (-7.39, 109.36),
    "Kota Medan": (3.59, 98.67),
    "Kota Makassar": (-5.14, 119.42),
}


@dataclass(frozen=True)
class Archetype:
    name: str
    core: tuple[str, ...]
    optional: tuple[tuple[str, float], ...]
    materials: tuple[str, ...]
    optional_materials: tuple[tuple[str, float], ...]
    clusters: tuple[str, ...]
    capacity: tuple[float, float]  # lognormal median tons/month, sigma
    products: tuple[str, ...]
    weight: float


ARCHETYPES: tuple[Archetype, ...] = (
    Archetype(
        "grey-iron foundry",
        ("cast-grey-iron",),
        (
            ("cast-ductile-iron", 0.35),
            ("turning", 0.45),
            ("pattern-making", 0.4),
            ("painting", 0.3),
            ("drilling", 0.2),
        ),
        ("grey-iron",),
        (("ductile-iron", 0.35),),
        ("Kabupaten Klaten", "Kabupaten Tegal", "Kabupaten Pasuruan"),
        (25, 0.8),
        (
            "tutup manhole",
            "blok rem",
            "rumah pompa",
            "komponen mesin pertanian",
            "pemberat",
            "grating",
            "pagar besi cor",
            "roda lori",
        ),
        0.16,
    ),
    Archetype(
        "ductile foundry",
        ("cast-ductile-iron", "cast-grey-iron"),
        (("turning", 0.5), ("heat-treatment", 0.3), ("pattern-making", 0.4)),
        ("ductile-iron", "grey-iron"),
        (),
        ("Kabupaten Klaten", "Kabupaten Sidoarjo", "Kabupaten Tegal"),
        (45, 0.7),
        ("tutup manhole", "fitting pipa PDAM", "komponen katup", "klem pipa", "roda gigi"),
        0.05,
    ),
    Archetype(
        "steel foundry",
        ("cast-steel",),
        (("heat-treatment", 0.6), ("turning", 0.4), ("cast-ductile-iron", 0.2)),
        ("carbon-steel",),
        (("alloy-steel", 0.5), ("stainless-steel", 0.2)),
        ("Kabupaten Gresik", "Kabupaten Sidoarjo", "Kota Bandung"),
        (40, 0.8),
        ("gigi sprocket", "liner crusher", "komponen kereta", "coupler", "impeller baja"),
        0.04,
    ),
    Archetype(
        "brass foundry",
        ("cast-brass-bronze",),
        (("turning", 0.45), ("electroplating", 0.25), ("pattern-making", 0.3)),
        ("brass",),
        (("bronze", 0.6), ("copper", 0.4)),
        ("Kabupaten Pati", "Kabupaten Klaten", "Kabupaten Boyolali"),
        (2, 0.8),
        ("kran air", "impeller", "bushing", "ornamen", "valve kuningan", "plakat"),
        0.08,
    ),
    Archetype(
        "aluminium caster",
        ("cast-aluminium",),
        (("die-casting", 0.3), ("milling", 0.3), ("turning", 0.3), ("painting", 0.3)),
        ("aluminium",),
        (),
        ("Kabupaten Tegal", "Kabupaten Sidoarjo", "Kabupaten Bekasi", "Kabupaten Klaten"),
        (5, 0.8),
        ("velg", "housing", "piston", "panci", "cover mesin", "pulley"),
        0.07,
    ),
    Archetype(
        "machine shop",
        ("turning",),
        (
            ("milling", 0.7),
            ("drilling", 0.6),
            ("cnc-machining", 0.35),
            ("grinding", 0.3),
            ("heat-treatment", 0.15),
            ("welding", 0.3),
        ),
        ("carbon-steel",),
        (("alloy-steel", 0.5), ("stainless-steel", 0.3), ("aluminium", 0.3), ("brass", 0.2)),
        (
            "Kabupaten Sidoarjo",
            "Kabupaten Tegal",
            "Kota Bandung",
            "Kabupaten Bekasi",
            "Kota Surabaya",
            "Kota Medan",
            "Kota Makassar",
        ),
        (3, 0.8),
        ("poros", "bushing", "pin", "flange", "roda gigi", "baut khusus", "spare part mesin"),
        0.16,
    ),
    Archetype(
        "CNC precision",
        ("cnc-machining",),
        (("milling", 0.4), ("turning", 0.4), ("grinding", 0.5), ("heat-treatment", 0.3), ("drilling", 0.4)),
        ("alloy-steel", "carbon-steel"),
        (("stainless-steel", 0.4), ("aluminium", 0.5)),
        ("Kabupaten Bekasi", "Kabupaten Tangerang", "Kabupaten Sidoarjo", "Kota Bandung"),
        (4, 0.7),
        ("suku cadang otomotif", "pin presisi", "poros transmisi", "jig dan fixture", "nozzle"),
        0.08,
    ),
    Archetype(
        "press shop",
        ("stamping",),
        (
            ("deep-drawing", 0.25),
            ("bending", 0.5),
            ("mould-dies", 0.35),
            ("welding", 0.4),
            ("electroplating", 0.15),
        ),
        ("steel-plate",),
        (("galvanized-sheet", 0.5), ("carbon-steel", 0.4), ("stainless-steel", 0.2)),
        ("Kabupaten Tegal", "Kabupaten Bekasi", "Kabupaten Tangerang", "Kabupaten Pasuruan"),
        (6, 0.8),
        ("bracket", "komponen karoseri", "engsel", "ring plat", "klem", "komponen sepeda motor"),
        0.09,
    ),
    Archetype(
        "fabricator",
        ("welding", "steel-structure"),
        (
            ("sheet-metal", 0.4),
            ("bending", 0.4),
            ("laser-cutting", 0.25),
            ("painting", 0.5),
            ("galvanizing", 0.15),
            ("assembly", 0.3),
        ),
        ("carbon-steel", "steel-plate"),
        (("stainless-steel", 0.25), ("galvanized-sheet", 0.3)),
        (
            "Kota Cilegon",
            "Kota Surabaya",
            "Kabupaten Gresik",
            "Kabupaten Sidoarjo",
            "Kota Medan",
            "Kota Makassar",
        ),
        (30, 0.9),
        ("rangka atap", "tower", "tangki", "jembatan", "kanopi", "rak gudang", "crossarm"),
        0.1,
    ),
    Archetype(
        "sheet metal shop",
        ("sheet-metal", "bending"),
        (("laser-cutting", 0.45), ("welding", 0.6), ("painting", 0.5), ("stamping", 0.2), ("assembly", 0.3)),
        ("steel-plate",),
        (("stainless-steel", 0.5), ("galvanized-sheet", 0.4), ("aluminium", 0.3)),
        ("Kabupaten Purbalingga", "Kabupaten Bekasi", "Kota Surabaya", "Kabupaten Tegal"),
        (5, 0.8),
        ("panel listrik", "knalpot", "peralatan dapur", "box panel", "cover mesin", "meja stainless"),
        0.08,
    ),
    Archetype(
        "galvanizer and coater",
        ("galvanizing",),
        (("painting", 0.5), ("electroplating", 0.4), ("steel-structure", 0.3), ("welding", 0.3)),
        ("carbon-steel",),
        (("galvanized-sheet", 0.4), ("steel-plate", 0.4)),
        ("Kabupaten Sidoarjo", "Kabupaten Bekasi", "Kota Cilegon"),
        (35, 0.7),
        ("tiang", "baut galvanis", "pagar", "rangka", "guardrail"),
        0.04,
    ),
    Archetype(
        "smith and forge",
        ("forging",),
        (("heat-treatment", 0.6), ("grinding", 0.4), ("turning", 0.3)),
        ("carbon-steel",),
        (("alloy-steel", 0.4),),
        ("Kabupaten Klaten", "Kabupaten Pasuruan", "Kabupaten Tegal", "Kabupaten Boyolali"),
        (2, 0.9),
        ("alat pertanian", "pisau", "cangkul", "baut tempa", "penambat rel", "kunci"),
        0.05,
    ),
    Archetype(
        "toolroom",
        ("mould-dies",),
        (
            ("cnc-machining", 0.6),
            ("milling", 0.6),
            ("grinding", 0.6),
            ("heat-treatment", 0.4),
            ("turning", 0.3),
        ),
        ("alloy-steel",),
        (("carbon-steel", 0.5), ("aluminium", 0.2)),
        ("Kabupaten Bekasi", "Kabupaten Tangerang", "Kabupaten Sidoarjo"),
        (1, 0.6),
        ("dies stamping", "mould plastik", "jig", "fixture", "punch"),
        0.04,
    ),
    Archetype(
        "heat treater",
        ("heat-treatment",),
        (("grinding", 0.3), ("electroplating", 0.2)),
        ("alloy-steel", "carbon-steel"),
        (),
        ("Kabupaten Bekasi", "Kabupaten Sidoarjo", "Kota Bandung"),
        (10, 0.6),
        ("roda gigi", "poros", "pisau industri", "pin"),
        0.02,
    ),
)

# Prose forms per code: how owners actually write it (misspellings and word forms on purpose).
PROCESS_FORMS: dict[str, tuple[str, ...]] = {
    "cast-grey-iron": (
        "pengecoran besi kelabu",
        "coran besi cor",
        "cor besi",
        "pengecoran besi cor FC200",
        "casting besi kelabu",
        "pengecoran besi tuang",
    ),
    "cast-ductile-iron": ("pengecoran besi nodular", "coran FCD 450", "cor besi ulet", "ductile casting"),
    "cast-steel": ("pengecoran baja", "coran baja", "cor baja karbon", "steel casting"),
    "cast-aluminium": ("coran alumunium", "pengecoran aluminium", "cor almunium", "casting aluminium"),
    "cast-brass-bronze": (
        "coran kuningan",
        "pengecoran kuningan dan perunggu",
        "cor perunggu",
        "coran tembaga",
    ),
    "die-casting": ("die casting", "die-casting aluminium", "cor tekan (HPDC)"),
    "stamping": ("stamping", "pres plat", "pengepresan", "mesin pres 60 ton", "press komponen"),
    "deep-drawing": ("deep drawing", "tarik dalam"),
    "forging": ("tempa", "penempaan", "forging", "pande besi"),
    "bending": ("tekuk plat", "bending", "penekukan", "press brake"),
    "turning": ("bubut", "pembubutan", "membubut", "mesin bubut", "turning"),
    "milling": ("frais", "fris", "milling", "pengefraisan"),
    "cnc-machining": ("CNC", "mesin CNC", "bubut CNC", "machining center CNC"),
    "drilling": ("bor", "pengeboran", "drilling"),
    "grinding": ("gerinda", "surface grinding", "penggerindaan"),
    "welding": ("las", "pengelasan", "welding", "las listrik dan argon", "las TIG/MIG"),
    "sheet-metal": ("kerja plat", "sheet metal", "fabrikasi plat"),
    "steel-structure": ("konstruksi baja", "struktur baja", "rangka baja"),
    "laser-cutting": ("potong laser", "laser cutting", "cutting laser"),
    "heat-treatment": ("sepuh", "hardening", "pengerasan", "heat treatment", "perlakuan panas"),
    "electroplating": ("krom", "lapis nikel", "electroplating", "vernikel"),
    "galvanizing": ("galvanis", "hot dip galvanis", "galvanis celup"),
    "painting": ("pengecatan", "powder coating", "cat bakar"),
    "mould-dies": ("pembuatan dies", "cetakan", "mould", "matras"),
    "pattern-making": ("pola", "pola kayu", "pembuatan pola"),
    "assembly": ("perakitan", "assembly", "rakit"),
}
#: Harder spellings used one time in ten: colloquial forms the stemmer should still read (ngelas, ngecor)
#: and plain typos it cannot (miling, pengecorran), so the prose-recovery figure is not a tautology.
HARD_FORMS: dict[str, tuple[str, ...]] = {
    "cast-grey-iron": ("ngecor besi", "pengecorran besi"),
    "cast-aluminium": ("ngecor alumunium", "coran alumnium"),
    "cast-brass-bronze": ("ngecor kuningan", "coran kuningn"),
    "turning": ("ngebubut", "pembubutaan"),
    "milling": ("miling", "ngefrais"),
    "welding": ("ngelas", "pengelsan"),
    "stamping": ("ngepres", "stemping"),
    "painting": ("ngecat", "pengecatn"),
    "heat-treatment": ("nyepuh", "hardning"),
    "galvanizing": ("galvanisir", "galvanis celop"),
    "forging": ("nempa", "penempan"),
    "bending": ("nekuk plat", "bendhing"),
}
MATERIAL_FORMS: dict[str, tuple[str, ...]] = {
    "grey-iron": ("besi cor kelabu", "FC 200", "besi kelabu"),
    "ductile-iron": ("besi nodular", "FCD"),
    "carbon-steel": ("baja karbon", "ST 37", "S45C"),
    "alloy-steel": ("baja paduan", "SCM 440", "SKD 11"),
    "stainless-steel": ("stainless", "SUS 304", "stenlis", "ss304"),
    "aluminium": ("aluminium", "alumunium", "almunium"),
    "brass": ("kuningan",),
    "bronze": ("perunggu",),
    "copper": ("tembaga",),
    "steel-plate": ("plat besi", "plat baja", "pelat hitam"),
    "galvanized-sheet": ("plat galvanis", "seng", "BJLS"),
}
_OPENERS = (
    "Kami melayani {x}.",
    "Bergerak di bidang {x}.",
    "Menerima pesanan {x}.",
    "Usaha kami: {x}.",
    "Spesialis {x}.",
    "Kami berpengalaman dalam {x}.",
    "Jasa {x}.",
)
_FILLERS = (
    "Berdiri sejak {y} dengan {e} karyawan.",
    "Melayani pesanan dari seluruh Indonesia.",
    "Harga bersaing dan pengiriman tepat waktu.",
    "Usaha keluarga turun-temurun.",
    "Anggota koperasi sentra logam.",
    "Siap menerima pesanan partai besar maupun kecil.",
    "",
)


@dataclass(frozen=True)
class NeedTemplate:
    title: str
    processes: tuple[str, ...]
    materials: tuple[str, ...]
    certs: tuple[tuple[str, float], ...]
    quantity: tuple[float, float]
    text: str


NEED_TEMPLATES: dict[str, NeedTemplate] = {
    "brake-block": NeedTemplate(
        "Blok rem besi cor",
        ("cast-grey-iron", "turning"),
        ("grey-iron",),
        (("iso-9001", 0.6), ("tkdn", 0.5)),
        (12, 0.5),
        "Rangka blok rem dari besi cor kelabu, dibubut pada sisi dudukan.",
    ),
    "manhole": NeedTemplate(
        "Tutup manhole dan grating",
        ("cast-ductile-iron",),
        ("ductile-iron",),
        (("sni", 0.7),),
        (20, 0.6),
        "Tutup manhole besi nodular kelas D400 dan grating saluran, sesuai SNI.",
    ),
    "pump-impeller": NeedTemplate(
        "Impeller dan badan pompa perunggu",
        ("cast-brass-bronze", "turning"),
        ("bronze",),
        (("tkdn", 0.3),),
        (1.5, 0.6),
        "Impeller pompa dari perunggu, dicor lalu dibubut dan dibalans.",
    ),
    "alu-housing": NeedTemplate(
        "Housing aluminium",
        ("cast-aluminium", "milling"),
        ("aluminium",),
        (("iatf-16949", 0.5), ("iso-9001", 0.3)),
        (4, 0.6),
        "Housing dan cover mesin aluminium coran, permukaan dudukan difrais.",
    ),
    "shaft": NeedTemplate(
        "Poros dan pin baja paduan",
        ("cnc-machining", "heat-treatment"),
        ("alloy-steel",),
        (("iatf-16949", 0.5), ("iso-9001", 0.4)),
        (2, 0.6),
        "Poros baja paduan dikeraskan, toleransi h7, dikerjakan dengan mesin CNC.",
    ),
    "bracket": NeedTemplate(
        "Bracket plat galvanis",
        ("stamping", "galvanizing"),
        ("steel-plate",),
        (("sni", 0.6), ("tkdn", 0.5)),
        (15, 0.6),
        "Bracket dan klem plat baja dipres lalu digalvanis celup panas.",
    ),
    "panel": NeedTemplate(
        "Box panel listrik",
        ("sheet-metal", "laser-cutting", "bending", "painting"),
        ("steel-plate",),
        (("iso-9001", 0.3), ("tkdn", 0.4)),
        (5, 0.6),
        "Box panel plat 2 mm, dipotong laser, ditekuk dan dicat powder coating.",
    ),
    "tower": NeedTemplate(
        "Konstruksi baja tower",
        ("steel-structure", "welding", "galvanizing"),
        ("carbon-steel",),
        (("smk3", 0.6), ("sni", 0.4)),
        (60, 0.7),
        "Rangka tower dan crossarm baja profil, dilas dan digalvanis hot dip.",
    ),
    "dies": NeedTemplate(
        "Dies stamping",
        ("mould-dies", "cnc-machining", "heat-treatment"),
        ("alloy-steel",),
        (("iso-9001", 0.3),),
        (0.5, 0.5),
        "Pembuatan dies progresif dari SKD 11, dikeraskan dan digerinda.",
    ),
    "rail-clip": NeedTemplate(
        "Penambat rel tempa",
        ("forging", "heat-treatment"),
        ("alloy-steel",),
        (("iso-9001", 0.5), ("tkdn", 0.5)),
        (10, 0.6),
        "Penambat rel (clip) hasil tempa baja pegas, disepuh dan diuji kekerasan.",
    ),
    "stainless-kitchen": NeedTemplate(
        "Peralatan stainless industri pangan",
        ("sheet-metal", "welding"),
        ("stainless-steel",),
        (("iso-9001", 0.2),),
        (3, 0.6),
        "Meja kerja dan tangki dari plat stainless SUS 304, dilas argon.",
    ),
    "turned-parts": NeedTemplate(
        "Komponen bubut presisi",
        ("turning", "milling", "drilling"),
        ("carbon-steel",),
        (("iso-9001", 0.4),),
        (2, 0.6),
        "Bushing, flange dan pin dari baja karbon S45C, dibubut dan difrais.",
    ),
    "sprocket": NeedTemplate(
        "Sprocket dan gigi cor baja",
        ("cast-steel", "heat-treatment", "turning"),
        ("carbon-steel",),
        (("iso-9001", 0.5),),
        (8, 0.6),
        "Sprocket baja cor, dikeraskan lalu dibubut pada lubang poros.",
    ),
    "chrome-handles": NeedTemplate(
        "Handle kuningan berlapis krom",
        ("cast-brass-bronze", "electroplating"),
        ("brass",),
        (),
        (0.8, 0.5),
        "Handle dan kran kuningan coran, dilapis krom nikel.",
    ),
    "pipe-fitting": NeedTemplate(
        "Fitting pipa besi nodular",
        ("cast-ductile-iron", "turning", "painting"),
        ("ductile-iron",),
        (("sni", 0.7), ("tkdn", 0.4)),
        (18, 0.6),
        "Fitting dan klem pipa PDAM dari besi nodular, dibubut ulirnya dan dicat.",
    ),
    "agri-parts": NeedTemplate(
        "Komponen mesin pertanian",
        ("cast-grey-iron", "turning", "painting"),
        ("grey-iron",),
        (("sni", 0.3),),
        (6, 0.6),
        "Rumah gearbox dan pulley besi cor untuk traktor tangan, dibubut dan dicat.",
    ),
    "karoseri": NeedTemplate(
        "Komponen karoseri plat",
        ("stamping", "welding", "painting"),
        ("steel-plate",),
        (("iso-9001", 0.3),),
        (8, 0.6),
        "Komponen karoseri dari plat hitam, dipres, dilas titik dan dicat.",
    ),
}


@dataclass(frozen=True)
class Buyer:
    id: int
    name: str
    location: tuple[float, float]
    templates: tuple[str, ...]


BUYERS: tuple[Buyer, ...] = (
    Buyer(
        1, "PT Kereta Api Indonesia (Persero)", (-6.91, 107.61), ("brake-block", "rail-clip", "turned-parts")
    ),
    Buyer(2, "PT INKA (Persero)", (-7.63, 111.52), ("brake-block", "turned-parts", "sprocket", "panel")),
    Buyer(3, "PT PLN (Persero)", (-6.99, 110.42), ("bracket", "tower", "panel")),
    Buyer(4, "PT Astra Honda Motor", (-6.30, 107.15), ("alu-housing", "shaft", "dies", "karoseri")),
    Buyer(5, "PT Pindad (Persero)", (-6.93, 107.66), ("shaft", "turned-parts", "sprocket", "dies")),
    Buyer(6, "PT Barata Indonesia (Persero)", (-7.16, 112.65), ("sprocket", "pump-impeller", "agri-parts")),
    Buyer(
        7, "Perumda Air Minum Surya Sembada", (-7.25, 112.75), ("manhole", "pipe-fitting", "pump-impeller")
    ),
    Buyer(8, "PT Wijaya Karya (Persero)", (-6.22, 106.85), ("tower", "manhole", "bracket")),
    Buyer(
        9, "PT Rajawali Nusantara Indonesia", (-6.20, 106.82), ("stainless-kitchen", "agri-parts", "panel")
    ),
    Buyer(10, "PT Karoseri Laksana", (-7.05, 110.40), ("karoseri", "panel", "chrome-handles")),
    Buyer(11, "PT Pertamina (Persero)", (-6.17, 106.83), ("pump-impeller", "tower", "stainless-kitchen")),
    Buyer(12, "PT Sanitary Nusantara", (-6.60, 106.80), ("chrome-handles", "pipe-fitting")),
)


@dataclass(eq=False)
class SyntheticWorld:
    """Generated inputs plus the hidden truth they were drawn from."""

    ikms: IkmFeatures
    needs: NeedFeatures
    true_processes: np.ndarray  # N×P bool
    true_materials: np.ndarray  # N×M bool
    true_valid_certs: np.ndarray  # N×C bool
    capacity: np.ndarray  # N
    need_processes: np.ndarray  # K×P bool (true requirements)
    need_materials: np.ndarray  # K×M bool
    need_certs: np.ndarray  # K×C bool
    quantity: np.ndarray  # K
    prose_only: np.ndarray  # N×(P+M) bool: true, not ticked, written in the prose
    archetypes: list[str]

    def relevance(self, need_rows: np.ndarray | None = None) -> np.ndarray:
        """Graded relevance (0–3) of every IKM for the given needs (rows × N, uint8); see module doc."""
        rows = np.arange(len(self.quantity)) if need_rows is None else np.asarray(need_rows)
        strong_p = self.true_processes.astype(float) @ (process_similarity_matrix() >= STRONG_SUBSTITUTE)
        strong_m = self.true_materials.astype(float) @ (material_similarity_matrix() >= STRONG_SUBSTITUTE)
        need_p = self.need_processes[rows].astype(float)
        need_m = self.need_materials[rows].astype(float)
        covered = need_p @ (strong_p > 0).T.astype(float)
        n_req = need_p.sum(axis=1, keepdims=True)
        all_proc = covered >= n_req
        half_proc = covered >= 0.5 * n_req
        mat_ok = ((need_m @ (strong_m > 0).T.astype(float)) > 0) | (need_m.sum(axis=1, keepdims=True) == 0)
        certs_needed = self.need_certs[rows].astype(float)
        cert_ok = (certs_needed @ (~self.true_valid_certs).T.astype(float)) == 0
        cap_ok = self.capacity[None, :] >= 0.5 * self.quantity[rows][:, None]
        rel = np.zeros(all_proc.shape, dtype=np.uint8)
        rel[half_proc | (all_proc & ~mat_ok)] = 1
        rel[all_proc & mat_ok] = 2
        rel[all_proc & mat_ok & cert_ok & cap_ok] = 3
        return rel


def _pick(rng: np.random.Generator, options: tuple[str, ...]) -> str:
    return options[int(rng.integers(len(options)))]


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " dan " + parts[-1]


def generate(n_ikms: int, n_needs: int, seed: int = 0) -> SyntheticWorld:
    """A reproducible world of ``n_ikms`` IKMs and ``n_needs`` needs (same seed → same world)."""
    rng = np.random.default_rng(seed)
    arche_weights = np.array([a.weight for a in ARCHETYPES])
    arche_weights /= arche_weights.sum()

    true_p = np.zeros((n_ikms, P), dtype=bool)
    true_m = np.zeros((n_ikms, M), dtype=bool)
    ticked_p = np.zeros((n_ikms, P))
    ticked_m = np.zeros((n_ikms, M))
    mentioned = np.zeros((n_ikms, P + M), dtype=bool)
    held = np.zeros((n_ikms, C), dtype=bool)
    expiry = np.full((n_ikms, C), np.datetime64("NaT"), dtype="datetime64[D]")
    capacity = np.zeros(n_ikms)
    lat, lon = np.zeros(n_ikms), np.zeros(n_ikms)
    verified = rng.random(n_ikms) < 0.6
    texts: list[str] = []
    names: list[str] = []
    ref = np.datetime64(REFERENCE_DATE, "D")

    for i in range(n_ikms):
        kinds = [ARCHETYPES[int(rng.choice(len(ARCHETYPES), p=arche_weights))]]
        if rng.random() < 0.10:
            kinds.append(ARCHETYPES[int(rng.choice(len(ARCHETYPES), p=arche_weights))])
        products: list[str] = []
        for a in kinds:
            for code in a.core:
                true_p[i, PROCESS_INDEX[code]] = True
            for code, prob in a.optional:
                if rng.random() < prob:
                    true_p[i, PROCESS_INDEX[code]] = True
            for code in a.materials:
                true_m[i, MATERIAL_INDEX[code]] = True
            for code, prob in a.optional_materials:
                if rng.random() < prob:
                    true_m[i, MATERIAL_INDEX[code]] = True
            products += [_pick(rng, a.products) for _ in range(2)]
        main = kinds[0]
        cluster = _pick(rng, main.clusters)
        capacity[i] = round(float(main.capacity[0] * np.exp(rng.normal(0.0, main.capacity[1]))), 1)
        lat[i] = CLUSTERS[cluster][0] + rng.normal(0.0, 0.05)
        lon[i] = CLUSTERS[cluster][1] + rng.normal(0.0, 0.05)

        # What gets ticked.
        procs = np.flatnonzero(true_p[i])
        if rng.random() >= 0.10:
            ticked_p[i, procs] = rng.random(len(procs)) < 0.6
        if rng.random() < 0.04:
            ticked_p[i, int(rng.integers(P))] = 1.0
        mats = np.flatnonzero(true_m[i])
        ticked_m[i, mats] = rng.random(len(mats)) < 0.7

        # What gets written.
        proc_phrases = []
        for p in procs:
            if rng.random() < 0.75:
                mentioned[i, p] = True
                code = PROCESS_CODES[p]
                forms = HARD_FORMS[code] if code in HARD_FORMS and rng.random() < 0.1 else PROCESS_FORMS[code]
                proc_phrases.append(_pick(rng, forms))
        mat_phrases = []
        for m in mats:
            if rng.random() < 0.75:
                mentioned[i, P + m] = True
                mat_phrases.append(_pick(rng, MATERIAL_FORMS[MATERIAL_CODES[m]]))
        rng.shuffle(proc_phrases)
        sentences = []
        if proc_phrases:
            sentences.append(_pick(rng, _OPENERS).format(x=_join(proc_phrases)))
        if mat_phrases:
            sentences.append(f"Bahan {_join(mat_phrases)}.")
        sentences.append(f"Produk: {_join(products)}.")
        if rng.random() < 0.05:
            absent = [c for c in PROCESS_CODES if not true_p[i, PROCESS_INDEX[c]]]
            sentences.append(f"Tidak melayani {_pick(rng, PROCESS_FORMS[_pick(rng, tuple(absent))])}.")
        sentences.append(
            _pick(rng, _FILLERS).format(y=int(rng.integers(1975, 2020)), e=int(rng.integers(4, 120)))
        )
        texts.append(" ".join(s for s in sentences if s))
        names.append(f"{main.name} {i}")

        # Certificates: bigger shops hold more; about a fifth of them have lapsed.
        for c, prob in (
            ("sni", 0.25),
            ("tkdn", 0.3),
            ("iso-9001", 0.25),
            ("smk3", 0.1),
            ("iso-14001", 0.05),
            ("iatf-16949", 0.03),
        ):
            boost = 1.5 if capacity[i] > 20 or "CNC" in main.name else 1.0
            if rng.random() < prob * boost:
                j = CERTIFICATION_INDEX[c]
                held[i, j] = True
                expiry[i, j] = ref + np.timedelta64(int(rng.integers(-540, 1100)), "D")

    true_valid = held & (expiry >= ref)
    prose_only = np.hstack([true_p & (ticked_p == 0), true_m & (ticked_m == 0)]) & mentioned

    ikms = IkmFeatures(
        processes=ticked_p,
        materials=ticked_m,
        certifications=held,
        capacity_tons_month=capacity,
        latitude=lat,
        longitude=lon,
        verified=verified,
        texts=texts,
        certification_expiry=expiry,
        reference_date=REFERENCE_DATE,
        ids=names,
    )

    need_p = np.zeros((n_needs, P), dtype=bool)
    need_m = np.zeros((n_needs, M), dtype=bool)
    need_c = np.zeros((n_needs, C), dtype=bool)
    obs_p = np.zeros((n_needs, P))
    obs_m = np.zeros((n_needs, M))
    pref_c = np.zeros((n_needs, C), dtype=bool)
    quantity = np.zeros(n_needs)
    nlat, nlon = np.zeros(n_needs), np.zeros(n_needs)
    buyer_ids = np.zeros(n_needs, dtype=np.int64)
    need_texts: list[str] = []
    for k in range(n_needs):
        buyer = BUYERS[int(rng.integers(len(BUYERS)))]
        t = NEED_TEMPLATES[_pick(rng, buyer.templates)]
        buyer_ids[k] = buyer.id
        for code in t.processes:
            need_p[k, PROCESS_INDEX[code]] = True
        for code in t.materials:
            need_m[k, MATERIAL_INDEX[code]] = True
        for code, prob in t.certs:
            if rng.random() < prob:
                need_c[k, CERTIFICATION_INDEX[code]] = True
        if rng.random() < 0.2:
            pref_c[k, CERTIFICATION_INDEX[_pick(rng, CERTIFICATION_CODES)]] = True
        procs = np.flatnonzero(need_p[k])
        obs_p[k, procs] = rng.random(len(procs)) < 0.9
        if not obs_p[k].any():
            obs_p[k, procs[0]] = 1.0
        obs_m[k] = need_m[k] & (rng.random(M) < 0.9)
        quantity[k] = round(float(t.quantity[0] * np.exp(rng.normal(0.0, t.quantity[1]))), 1)
        nlat[k] = buyer.location[0] + rng.normal(0.0, 0.02)
        nlon[k] = buyer.location[1] + rng.normal(0.0, 0.02)
        need_texts.append(f"{t.title}. {t.text} Kebutuhan sekitar {quantity[k]} ton per bulan.")
    pref_c &= ~need_c

    needs = NeedFeatures(
        processes=obs_p,
        materials=obs_m,
        certifications_required=need_c,
        certifications_preferred=pref_c,
        quantity_tons_month=quantity,
        latitude=nlat,
        longitude=nlon,
        buyer_ids=buyer_ids,
        texts=need_texts,
        ids=[f"N{k:05d}" for k in range(n_needs)],
    )
    return SyntheticWorld(
        ikms=ikms,
        needs=needs,
        true_processes=true_p,
        true_materials=true_m,
        true_valid_certs=true_valid,
        capacity=capacity,
        need_processes=need_p,
        need_materials=need_m,
        need_certs=need_c,
        quantity=quantity,
        prose_only=prose_only,
        archetypes=names,
    )
