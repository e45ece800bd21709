"""The capability vocabulary of DESIGN.md as plain data, and how much one code stands in for another.

The codes are a contract with the database, the importers and the forms: never rename one here. The names,
groups and similarity values are ours to extend.

Similarity is **directed**: ``process_similarity_matrix()[i, j]`` says how well a workshop that *has*
process ``i`` can deliver a buyer's requirement ``j``. A CNC shop can do the turning a buyer asks for
(0.8), but a shop with a manual lathe cannot simply be trusted with a CNC job (0.5). The diagonal is 1.
Every value is justified beside it in ``_PROCESS_PAIRS`` / ``_MATERIAL_PAIRS``; a pair that is not listed
is 0 (no credit). Values were chosen with three bands in mind:

* 0.8  the holder does the requested work routinely with the equipment it already has;
* 0.5–0.7  same equipment family or same shop type, some set-up or skill gap;
* 0.2–0.4  same process group, a buyer would only consider it when nothing better exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np


@dataclass(frozen=True, slots=True)
class Code:
    """One vocabulary entry: the contract code, its Indonesian and English names, and its group."""

    code: str
    name_id: str
    name_en: str
    group: str = ""


PROCESS_GROUPS: dict[str, tuple[str, ...]] = {
    "casting": (
        "cast-grey-iron",
        "cast-ductile-iron",
        "cast-steel",
        "cast-aluminium",
        "cast-brass-bronze",
        "die-casting",
    ),
    "forming": ("stamping", "deep-drawing", "forging", "bending"),
    "machining": ("turning", "milling", "cnc-machining", "drilling", "grinding"),
    "fabrication": ("welding", "sheet-metal", "steel-structure", "laser-cutting"),
    "treatment": ("heat-treatment", "electroplating", "galvanizing", "painting"),
    "tooling": ("mould-dies", "pattern-making", "assembly"),
}

#: KBLI 2020 class per process group. Casting splits by metal (24310 ferrous, 24320 non-ferrous), so
#: it is resolved per code in ``PROCESS_KBLI``; the others follow the closest five-digit class.
GROUP_KBLI: dict[str, str] = {
    "casting": "24310",  # pengecoran besi dan baja (non-ferrous codes override to 24320 below)
    "forming": "25910",  # penempaan, pengepresan, pencetakan dan pembentukan logam
    "machining": "25920",  # jasa industri pengerjaan khusus logam: KBLI lists pembubutan, pengeboran here
    "fabrication": "25111",  # industri barang dari logam siap pasang untuk bangunan (struktur baja)
    "treatment": "25920",  # jasa industri pengerjaan khusus logam: pelapisan, pengerasan, pengecatan
    "tooling": "25930",  # alat potong, perkakas tangan dan peralatan umum: ISIC 2593 includes moulds
}

PROCESSES: tuple[Code, ...] = (
    Code("cast-grey-iron", "Pengecoran besi kelabu", "Grey iron casting", "casting"),
    Code("cast-ductile-iron", "Pengecoran besi nodular", "Ductile iron casting", "casting"),
    Code("cast-steel", "Pengecoran baja", "Steel casting", "casting"),
    Code("cast-aluminium", "Pengecoran aluminium", "Aluminium casting", "casting"),
    Code("cast-brass-bronze", "Pengecoran kuningan/perunggu", "Brass and bronze casting", "casting"),
    Code("die-casting", "Die casting (cor tekan)", "Die casting", "casting"),
    Code("stamping", "Pengepresan (stamping)", "Stamping", "forming"),
    Code("deep-drawing", "Penarikan dalam (deep drawing)", "Deep drawing", "forming"),
    Code("forging", "Penempaan", "Forging", "forming"),
    Code("bending", "Penekukan", "Bending", "forming"),
    Code("turning", "Pembubutan", "Turning", "machining"),
    Code("milling", "Pengefraisan", "Milling", "machining"),
    Code("cnc-machining", "Permesinan CNC", "CNC machining", "machining"),
    Code("drilling", "Pengeboran", "Drilling", "machining"),
    Code("grinding", "Penggerindaan", "Grinding", "machining"),
    Code("welding", "Pengelasan", "Welding", "fabrication"),
    Code("sheet-metal", "Kerja pelat", "Sheet metal work", "fabrication"),
    Code("steel-structure", "Konstruksi baja", "Steel structures", "fabrication"),
    Code("laser-cutting", "Potong laser", "Laser cutting", "fabrication"),
    Code("heat-treatment", "Perlakuan panas", "Heat treatment", "treatment"),
    Code("electroplating", "Pelapisan listrik (krom/nikel)", "Electroplating", "treatment"),
    Code("galvanizing", "Galvanis", "Galvanizing", "treatment"),
    Code("painting", "Pengecatan", "Painting and coating", "treatment"),
    Code("mould-dies", "Pembuatan cetakan dan dies", "Moulds and dies", "tooling"),
    Code("pattern-making", "Pembuatan pola", "Pattern making", "tooling"),
    Code("assembly", "Perakitan", "Assembly", "tooling"),
)

MATERIALS: tuple[Code, ...] = (
    Code("grey-iron", "Besi cor kelabu", "Grey iron", "ferrous"),
    Code("ductile-iron", "Besi cor nodular", "Ductile iron", "ferrous"),
    Code("carbon-steel", "Baja karbon", "Carbon steel", "ferrous"),
    Code("alloy-steel", "Baja paduan", "Alloy steel", "ferrous"),
    Code("stainless-steel", "Baja tahan karat", "Stainless steel", "ferrous"),
    Code("aluminium", "Aluminium", "Aluminium", "non-ferrous"),
    Code("brass", "Kuningan", "Brass", "non-ferrous"),
    Code("bronze", "Perunggu", "Bronze", "non-ferrous"),
    Code("copper", "Tembaga", "Copper", "non-ferrous"),
    Code("steel-plate", "Pelat baja", "Steel plate", "ferrous"),
    Code("galvanized-sheet", "Pelat galvanis", "Galvanized sheet", "ferrous"),
)

CERTIFICATIONS: tuple[Code, ...] = (
    Code("iso-9001", "ISO 9001 (mutu)", "ISO 9001 quality"),
    Code("iso-14001", "ISO 14001 (lingkungan)", "ISO 14001 environment"),
    Code("iatf-16949", "IATF 16949 (otomotif)", "IATF 16949 automotive"),
    Code("sni", "SNI", "Indonesian National Standard"),
    Code("tkdn", "TKDN (tingkat komponen dalam negeri)", "Local content (TKDN)"),
    Code("smk3", "SMK3 (keselamatan kerja)", "SMK3 occupational safety"),
)

PROCESS_CODES: tuple[str, ...] = tuple(c.code for c in PROCESSES)
MATERIAL_CODES: tuple[str, ...] = tuple(c.code for c in MATERIALS)
CERTIFICATION_CODES: tuple[str, ...] = tuple(c.code for c in CERTIFICATIONS)

PROCESS_INDEX: dict[str, int] = {c: i for i, c in enumerate(PROCESS_CODES)}
MATERIAL_INDEX: dict[str, int] = {c: i for i, c in enumerate(MATERIAL_CODES)}
CERTIFICATION_INDEX: dict[str, int] = {c: i for i, c in enumerate(CERTIFICATION_CODES)}

PROCESS_GROUP_OF: dict[str, str] = {code: group for group, codes in PROCESS_GROUPS.items() for code in codes}

PROCESS_KBLI: dict[str, str] = {code: GROUP_KBLI[PROCESS_GROUP_OF[code]] for code in PROCESS_CODES} | {
    # Non-ferrous casting is its own KBLI class: pengecoran logam bukan besi.
    "cast-aluminium": "24320",
    "cast-brass-bronze": "24320",
    "die-casting": "24320",
    # Forging and stamping are the textbook 25910 activities; bending sits with them.
    "forging": "25910",
}

# (has, wanted, value, why). Listed once per direction when the two directions differ; ``_SYMMETRIC``
# pairs are mirrored automatically.
_PROCESS_PAIRS: tuple[tuple[str, str, float, str], ...] = (
    # Machining: a CNC centre/lathe does everything the manual machines do, more precisely.
    ("cnc-machining", "turning", 0.8, "CNC lathes turn; the buyer gets at least manual-lathe quality"),
    ("cnc-machining", "milling", 0.8, "CNC machining centres mill"),
    ("cnc-machining", "drilling", 0.8, "drilling is a routine CNC operation"),
    ("cnc-machining", "grinding", 0.3, "CNC shops often own a surface grinder, but not always"),
    ("turning", "cnc-machining", 0.5, "a manual lathe shop covers round parts but not CNC repeatability"),
    ("milling", "cnc-machining", 0.5, "a manual mill covers prismatic parts but not CNC repeatability"),
    ("milling", "drilling", 0.6, "any milling machine drills and bores"),
    ("turning", "drilling", 0.4, "lathes drill on the axis only"),
    ("drilling", "milling", 0.2, "a drilling shop has a bench mill at best"),
    ("turning", "milling", 0.3, "machine shops with lathes usually own a small milling machine"),
    ("milling", "turning", 0.3, "machine shops with mills usually own a lathe"),
    ("grinding", "turning", 0.3, "grinding shops finish shafts and usually rough-turn them"),
    ("turning", "grinding", 0.2, "some lathes carry a tool-post grinder"),
    # Casting: the same furnace family and moulding line carries over between related metals.
    ("cast-grey-iron", "cast-ductile-iron", 0.7, "same cupola/induction line; ductile adds Mg treatment"),
    ("cast-ductile-iron", "cast-grey-iron", 0.7, "a ductile foundry pours grey iron without new kit"),
    ("cast-steel", "cast-grey-iron", 0.4, "ferrous induction foundry, different melt practice"),
    ("cast-steel", "cast-ductile-iron", 0.4, "ferrous induction foundry, different melt practice"),
    ("cast-grey-iron", "cast-steel", 0.3, "cupola iron foundries rarely reach steel pouring temperature"),
    ("cast-ductile-iron", "cast-steel", 0.3, "induction ductile foundries can melt steel with effort"),
    ("cast-aluminium", "cast-brass-bronze", 0.5, "both non-ferrous crucible and sand-mould work"),
    ("cast-brass-bronze", "cast-aluminium", 0.5, "both non-ferrous crucible and sand-mould work"),
    ("die-casting", "cast-aluminium", 0.6, "die casters melt aluminium every day; sand moulds are simpler"),
    ("cast-aluminium", "die-casting", 0.3, "gravity/sand aluminium casting lacks the die-casting machine"),
    ("cast-grey-iron", "cast-aluminium", 0.2, "same moulding skills, different melt"),
    ("cast-aluminium", "cast-grey-iron", 0.2, "same moulding skills, different melt"),
    ("cast-grey-iron", "cast-brass-bronze", 0.2, "Ceper-style foundries often pour both, but not always"),
    ("cast-brass-bronze", "cast-grey-iron", 0.2, "Ceper-style foundries often pour both, but not always"),
    # Forming: presses are presses.
    (
        "stamping",
        "deep-drawing",
        0.5,
        "a press shop can draw shallow parts; deep draws need dies and tonnage",
    ),
    ("deep-drawing", "stamping", 0.7, "a drawing press line also blanks and pierces"),
    ("stamping", "bending", 0.6, "press shops form flanges and bends in their dies"),
    ("bending", "stamping", 0.3, "a press-brake shop can punch simple parts"),
    ("forging", "stamping", 0.2, "hot presses exist in both, different tooling"),
    ("stamping", "forging", 0.2, "hot presses exist in both, different tooling"),
    # Fabrication.
    ("sheet-metal", "bending", 0.8, "sheet-metal shops own press brakes"),
    ("sheet-metal", "laser-cutting", 0.6, "sheet-metal shops cut profiles, often by plasma or laser"),
    ("laser-cutting", "sheet-metal", 0.6, "laser shops usually bend and weld what they cut"),
    ("laser-cutting", "bending", 0.5, "laser shops usually own a press brake"),
    ("bending", "sheet-metal", 0.5, "bending is half of sheet-metal work"),
    ("sheet-metal", "welding", 0.5, "sheet-metal shops weld their assemblies"),
    ("steel-structure", "welding", 0.8, "structural fabricators weld all day"),
    ("welding", "steel-structure", 0.6, "a welding shop can build light structures"),
    ("steel-structure", "sheet-metal", 0.3, "structural shops cut and bend plate, not thin sheet"),
    ("welding", "sheet-metal", 0.3, "welders do simple sheet work"),
    ("steel-structure", "assembly", 0.4, "structural fabricators assemble on site"),
    # Treatment and finishing.
    ("galvanizing", "electroplating", 0.3, "both zinc/metal coatings, different process (hot dip vs bath)"),
    ("electroplating", "galvanizing", 0.3, "zinc electroplating is a light substitute for hot-dip"),
    ("painting", "galvanizing", 0.1, "paint is a weak substitute for corrosion protection"),
    ("galvanizing", "painting", 0.3, "galvanisers often paint over zinc (duplex systems)"),
    ("electroplating", "painting", 0.2, "finishing shops sometimes run a paint line too"),
    # Tooling: toolrooms machine, pattern shops serve foundries, foundries make their own patterns.
    ("mould-dies", "milling", 0.6, "dies are milled; every toolroom owns mills"),
    ("mould-dies", "cnc-machining", 0.6, "modern toolrooms machine dies on CNC"),
    ("mould-dies", "grinding", 0.6, "dies are ground to size"),
    ("mould-dies", "turning", 0.4, "toolrooms own a lathe"),
    ("mould-dies", "pattern-making", 0.4, "both make tooling, in different materials"),
    ("pattern-making", "mould-dies", 0.3, "pattern makers can make simple core boxes and moulds"),
    ("cast-grey-iron", "pattern-making", 0.4, "foundries in Ceper/Tegal commonly make their own patterns"),
    ("cast-ductile-iron", "pattern-making", 0.4, "foundries commonly make their own patterns"),
    ("cast-brass-bronze", "pattern-making", 0.4, "foundries commonly make their own patterns"),
    ("cast-aluminium", "pattern-making", 0.4, "foundries commonly make their own patterns"),
    ("die-casting", "mould-dies", 0.4, "die casters maintain (and sometimes make) their dies"),
    ("welding", "assembly", 0.3, "weld shops deliver welded assemblies"),
    ("forging", "heat-treatment", 0.4, "smiths normalise and harden their own forgings"),
)

_MATERIAL_PAIRS: tuple[tuple[str, str, float, str], ...] = (
    ("grey-iron", "ductile-iron", 0.7, "same melt base; nodularising is the extra step"),
    ("ductile-iron", "grey-iron", 0.7, "a ductile shop handles grey iron"),
    ("carbon-steel", "steel-plate", 0.8, "steel plate is carbon steel in plate form"),
    ("steel-plate", "carbon-steel", 0.8, "steel plate is carbon steel in plate form"),
    ("carbon-steel", "alloy-steel", 0.6, "same tools; alloy grades need heat treatment know-how"),
    ("alloy-steel", "carbon-steel", 0.8, "an alloy-steel shop machines carbon steel easily"),
    ("steel-plate", "alloy-steel", 0.4, "plate shops rarely work alloy grades"),
    ("alloy-steel", "steel-plate", 0.4, "bar/forging shops rarely work plate"),
    ("galvanized-sheet", "steel-plate", 0.6, "thin coated sheet vs plate: same presses and brakes"),
    ("steel-plate", "galvanized-sheet", 0.6, "thin coated sheet vs plate: same presses and brakes"),
    ("galvanized-sheet", "carbon-steel", 0.5, "galvanized sheet is coated carbon steel"),
    ("carbon-steel", "galvanized-sheet", 0.4, "coated sheet needs care when welding"),
    (
        "stainless-steel",
        "carbon-steel",
        0.5,
        "a stainless shop has the harder tooling, carbon steel is easier",
    ),
    ("carbon-steel", "stainless-steel", 0.3, "stainless needs other consumables and separate handling"),
    ("stainless-steel", "steel-plate", 0.4, "stainless sheet shops can work black plate"),
    ("brass", "bronze", 0.8, "copper alloys melted and machined the same way"),
    ("bronze", "brass", 0.8, "copper alloys melted and machined the same way"),
    ("copper", "brass", 0.6, "copper alloy family"),
    ("brass", "copper", 0.6, "copper alloy family; pure copper machines worse"),
    ("copper", "bronze", 0.6, "copper alloy family"),
    ("bronze", "copper", 0.6, "copper alloy family"),
    ("grey-iron", "carbon-steel", 0.1, "iron founders machine steel only occasionally"),
)


def _directed_matrix(codes: tuple[str, ...], pairs: tuple[tuple[str, str, float, str], ...]) -> np.ndarray:
    index = {c: i for i, c in enumerate(codes)}
    matrix = np.eye(len(codes), dtype=np.float64)
    for has, wanted, value, _why in pairs:
        if not 0.0 <= value < 1.0:
            raise ValueError(f"similarity {has}->{wanted} must be in [0, 1)")
        matrix[index[has], index[wanted]] = value
    return matrix


@cache
def process_similarity_matrix() -> np.ndarray:
    """P×P directed matrix: row = capability held, column = capability wanted. Read-only, cached."""
    matrix = _directed_matrix(PROCESS_CODES, _PROCESS_PAIRS)
    matrix.setflags(write=False)
    return matrix


@cache
def material_similarity_matrix() -> np.ndarray:
    """M×M directed matrix: row = material worked, column = material wanted. Read-only, cached."""
    matrix = _directed_matrix(MATERIAL_CODES, _MATERIAL_PAIRS)
    matrix.setflags(write=False)
    return matrix


def similarity_reason(has: str, wanted: str) -> str:
    """The documented reason for a partial-credit pair, for "why" texts and reviews ('' if none)."""
    for a, b, _value, why in _PROCESS_PAIRS + _MATERIAL_PAIRS:
        if a == has and b == wanted:
            return why
    return ""
