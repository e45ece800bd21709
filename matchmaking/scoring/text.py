"""Indonesian workshop prose → canonical tokens and taxonomy codes.

IKM owners describe what they do in their own words ("kami melayani bubut dan frais CNC", "coran
alumunium", "pengelasan SMAW/TIG"), and many never tick the matching boxes. This module turns such prose
into two things the scorer uses:

* **canonical tokens** for TF-IDF text similarity: lowercased, misspellings and English/Indonesian variants
  folded to one spelling (alumunium → aluminium, fris → frais, welding → las), light Indonesian stemming
  (pengecoran/coran/dicor → cor), stopwords removed;
* **codes with a confidence** (``codes_from_text``): phrases over canonical tokens mapped to process and
  material codes of :mod:`taxonomy`, with casting + metal combined into the specific casting code
  ("coran kuningan" → ``cast-brass-bronze`` and ``brass``) and negated mentions ("tidak melayani
  pengecoran") ignored.

PySastrawi is not available, so the stemmer is our own and deliberately small: it strips the common
derivational affixes (me-/mem-/men-/meng-/meny-/menge-, pe-/pem-/pen-/peng-/peny-/penge-/per-, ber-, di-,
ter-, ke-, colloquial nge-; -an/-kan/-i/-nya) and prefers a candidate found in a small lexicon of workshop roots, so the
roots the phrase table needs always come out right; a protected list keeps words that merely look
affixed (kuningan, perunggu, pelat, kelabu, ringan) intact. Words it does not know are stemmed by plain
rules; a wrong stem there only costs a little text-similarity precision, never a code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from matchmaking.scoring.taxonomy import MATERIAL_INDEX, PROCESS_INDEX

# --- normalisation -------------------------------------------------------------------------------------

_TOKEN_RE = re.compile(r"[a-z]+|\d+")

#: Raw (or stemmed) token → canonical spelling. Folds misspellings, regional words and English terms
#: onto one token so TF-IDF and the phrase table see one word per concept.
# fmt: off
VARIANTS: dict[str, str] = {
    # materials
    "alumunium": "aluminium", "almunium": "aluminium", "aluminum": "aluminium", "alumanium": "aluminium",
    "alumunim": "aluminium", "alminium": "aluminium", "aluminiun": "aluminium", "alu": "aluminium",
    "stainles": "stainless", "stenlis": "stainless", "stenles": "stainless", "setenlis": "stainless",
    "stanless": "stainless", "sus": "stainless", "nirkarat": "stainless",
    "brass": "kuningan", "bronze": "perunggu", "bronz": "perunggu", "copper": "tembaga",
    "steel": "baja", "iron": "besi", "grey": "kelabu", "gray": "kelabu", "abu": "kelabu",
    "ductile": "nodular", "fcd": "nodular", "spheroidal": "nodular",
    "pelat": "plat", "plate": "plat", "sheet": "plat", "lembaran": "plat",
    "galvanized": "galvanis", "galvanised": "galvanis", "galvanize": "galvanis", "galvanizing": "galvanis",
    "galvanisasi": "galvanis", "galvanising": "galvanis", "galvanish": "galvanis", "galvalum": "galvalume",
    "metal": "logam",
    # machining
    "turning": "bubut", "lathe": "bubut", "bubud": "bubut",
    "milling": "frais", "mill": "frais", "fris": "frais", "freis": "frais", "frays": "frais", "fraise": "frais",
    "frez": "frais", "fraes": "frais",
    "drilling": "bor", "drill": "bor", "boring": "bor",
    "grinding": "gerinda", "grind": "gerinda", "gurinda": "gerinda", "grinda": "gerinda",
    "machining": "permesinan", "pemesinan": "permesinan", "permesinan": "permesinan", "machine": "mesin", "machines": "mesin",
    # fabrication
    "welding": "las", "weld": "las", "welder": "las", "lasan": "las", "smaw": "las", "gmaw": "las",
    "gtaw": "las", "mig": "las", "tig": "las", "argon": "las",
    "structure": "struktur", "konstruksi": "struktur", "construction": "struktur", "konstruksinya": "struktur",
    "cutting": "potong", "cut": "potong",
    # forming
    "forging": "tempa", "forge": "tempa", "forged": "tempa", "tempaan": "tempa",
    "press": "pres", "pressing": "pres", "stamping": "pres", "stamp": "pres", "presan": "pres",
    "bending": "tekuk", "bend": "tekuk", "tekukan": "tekuk", "lipat": "tekuk",
    "roll": "rol", "rolling": "rol", "roling": "rol",
    "drawing": "tarik",
    # casting
    "casting": "cor", "cast": "cor", "foundry": "cor", "coran": "cor",
    "furnace": "tanur", "dapur": "tanur", "cupola": "kupola", "kopula": "kupola",
    # treatment and finishing
    "hardening": "sepuh", "quenching": "sepuh", "quench": "sepuh", "tempering": "sepuh",
    "karburasi": "sepuh", "carburizing": "sepuh", "nitriding": "sepuh", "annealing": "sepuh",
    "normalizing": "sepuh", "carburising": "sepuh",
    "chrome": "krom", "chroming": "krom", "chrom": "krom", "khrom": "krom", "nickel": "nikel",
    "vernikel": "nikel", "electroplating": "elektroplating", "plating": "elektroplating",
    "painting": "cat", "paint": "cat", "coating": "coating",
    # tooling and assembly
    "die": "dies", "mould": "dies", "mold": "dies", "moulding": "dies", "molding": "dies", "moulds": "dies",
    "molds": "dies", "matras": "dies", "tooling": "dies",
    "pattern": "pola", "patterns": "pola",
    "assembly": "rakit", "assy": "rakit", "assembling": "rakit",
}
# fmt: on

#: Function words with no capability meaning. Negations are *not* listed: they are needed to read
#: "tidak melayani pengecoran" and are dropped from TF-IDF separately.
STOPWORDS: frozenset[str] = frozenset(
    [
        "dan",
        "atau",
        "yang",
        "untuk",
        "dengan",
        "di",
        "ke",
        "dari",
        "pada",
        "dalam",
        "oleh",
        "kami",
        "kita",
        "saya",
        "ini",
        "itu",
        "juga",
        "serta",
        "ada",
        "sudah",
        "bisa",
        "dapat",
        "akan",
        "telah",
        "sebagai",
        "bagi",
        "hingga",
        "sampai",
        "para",
        "sesuai",
        "serta",
        "secara",
        "agar",
        "supaya",
        "karena",
        "maupun",
        "baik",
        "seperti",
        "lain",
        "lainnya",
        "tersebut",
        "setiap",
        "semua",
        "segala",
        "berbagai",
        "macam",
        "jenis",
        "aneka",
        "banyak",
        "beberapa",
        "tiap",
        "tersedia",
        "siap",
        "cepat",
        "murah",
        "terbaik",
        "kualitas",
        "mutu",
        "harga",
        "layan",
        "terima",
        "kerja",
        "buat",
        "olah",
        "kirim",
        "pesan",
        "minta",
        "usaha",
        "industri",
        "perusahaan",
        "bengkel",
        "pabrik",
        "sentra",
        "kecil",
        "menengah",
        "besar",
        "pengalaman",
        "alam",
        "tahun",
        "sejak",
        "lebih",
        "kurang",
        "sekitar",
        "per",
        "ton",
        "bulan",
        "buah",
        "pcs",
        "unit",
        "set",
        "kg",
        "mm",
        "cm",
        "meter",
        "hari",
        "minggu",
        "cv",
        "pt",
        "ud",
        "tbk",
        "persero",
        "the",
        "and",
        "of",
        "for",
        "with",
        "a",
        "an",
        "to",
        "in",
        "on",
        "by",
        "our",
        "we",
        "also",
        "kapasitas",
        "produk",
        "produksi",
        "komponen",
        "hasil",
        "sendiri",
        "mulai",
        "tinggi",
        "rendah",
        "khusus",
        "umum",
        "standar",
        "utama",
    ]
)

NEGATIONS: frozenset[str] = frozenset({"tidak", "tak", "belum", "bukan", "tanpa", "kecuali", "no", "not"})

# --- stemmer -------------------------------------------------------------------------------------------

#: Roots the stemmer prefers when several strippings are possible (meng+eras vs meng+keras). It must
#: contain every root the phrase table relies on.
ROOTS: frozenset[str] = frozenset(
    [
        "cor",
        "las",
        "cat",
        "bor",
        "pres",
        "tempa",
        "bubut",
        "frais",
        "tekuk",
        "potong",
        "gerinda",
        "rakit",
        "keras",
        "cetak",
        "lapis",
        "lebur",
        "tuang",
        "bentuk",
        "tarik",
        "bengkok",
        "sepuh",
        "galvanis",
        "krom",
        "nikel",
        "rol",
        "ukur",
        "pesan",
        "jual",
        "kirim",
        "olah",
        "rancang",
        "layan",
        "lengkap",
        "pasang",
        "buat",
        "kerja",
        "produksi",
        "terima",
        "sedia",
        "tawar",
        "milik",
        "punya",
        "guna",
        "pakai",
        "ganti",
        "baik",
        "isi",
        "tekan",
        "putar",
        "haluskan",
        "halus",
        "kikis",
        "amplas",
        "poles",
        "bakar",
        "panas",
        "dingin",
        "campur",
        "lebar",
        "tebal",
        "sambung",
        "patri",
        "solder",
        "keling",
        "baut",
        "mur",
        "ulir",
        "cekam",
        "tuang",
        "celup",
        "semprot",
        "lindung",
        "rangka",
        "dukung",
        "angkut",
        "tanam",
        "tahan",
        "jamin",
        "uji",
        "periksa",
        "kontrol",
        "alam",
        "kembang",
        "ekspor",
        "impor",
        "pasok",
        "suplai",
        "dorong",
        "bantu",
        "kelola",
        "siap",
        "perbaiki",
        "perbaik",
        "ubah",
        "susun",
        "gabung",
        "bubuk",
        "alat",
        "mesin",
        "logam",
        "besi",
        "baja",
        "plat",
        "tiang",
        "pompa",
        "roda",
        "poros",
        "rumah",
        "tutup",
        "pipa",
        "katup",
        "kran",
        "pagar",
        "tangga",
    ]
)

#: Words that look affixed but are roots (or loanwords) and must survive as they are.
PROTECTED: frozenset[str] = frozenset(
    [
        "kuningan",
        "perunggu",
        "pelat",
        "plat",
        "kelabu",
        "ringan",
        "besi",
        "mesin",
        "bahan",
        "tahan",
        "karat",
        "tembaga",
        "teknik",
        "tekanan",
        "pegas",
        "per",
        "pelek",
        "pedal",
        "perkakas",
        "keran",
        "kran",
        "ketel",
        "kepala",
        "kecil",
        "kereta",
        "keramik",
        "kendaraan",
        "kemasan",
        "kemas",
        "dinding",
        "diameter",
        "digital",
        "dimensi",
        "diesel",
        "distribusi",
        "distributor",
        "dinamo",
        "direksi",
        "metal",
        "meter",
        "metode",
        "mekanik",
        "mekanis",
        "medium",
        "mesin",
        "menara",
        "teralis",
        "terali",
        "terima",
        "terminal",
        "termal",
        "teras",
        "terpal",
        "tertentu",
        "bearing",
        "berat",
        "beton",
        "benda",
        "besar",
        "bensin",
        "bengkel",
        "pesan",
        "pesanan",
        "peti",
        "petani",
        "pertanian",
        "perahu",
        "perabot",
        "peralatan",
        "perumahan",
        "permukaan",
        "perusahaan",
        "manhole",
        "galvanis",
        "galvalume",
        "nodular",
        "stainless",
        "aluminium",
        "coating",
        "sepuh",
        "tanur",
        "kupola",
        "induksi",
        "dies",
        "bantalan",
        "saringan",
        "tangan",
        "lapangan",
        "pangan",
        "ikan",
        "jalan",
        "taman",
    ]
)

_VOWELS = frozenset("aeiou")


def _prefix_candidates(word: str) -> list[str]:
    """Possible roots after removing one derivational prefix, with Indonesian nasal recoding."""
    out: list[str] = []
    w = word
    if w.startswith(("memper", "diper")):
        out.append(w[6:] if w.startswith("memper") else w[5:])
    if w.startswith(("menge", "penge")) and len(w) > 5 and w[5] not in _VOWELS:
        out.append(w[5:])  # monosyllabic roots: pengecoran, pengelasan, pengecatan, pengeboran
    if w.startswith(("meng", "peng")):
        rest = w[4:]
        if rest and rest[0] in _VOWELS:
            out += [rest, "k" + rest]  # mengolah/olah, mengirim/kirim
        elif rest:
            out.append(rest)  # menggerinda, penggerindaan
    if w.startswith(("meny", "peny")):
        out.append("s" + w[4:])  # menyepuh/sepuh
    if w.startswith(("men", "pen")) and not w.startswith(("meng", "peng", "meny", "peny")):
        rest = w[3:]
        if rest and rest[0] in _VOWELS:
            out += ["t" + rest, rest]  # menempa/tempa, penekukan/tekuk
        elif rest:
            out.append(rest)  # mencetak/cetak, pendingin/dingin
    if w.startswith(("mem", "pem")):
        rest = w[3:]
        if rest and rest[0] in _VOWELS:
            out += ["p" + rest, rest]  # memotong/potong
        elif rest:
            out.append(rest)  # membubut/bubut, pembuatan/buat
    if w.startswith("per"):
        out.append(w[3:])  # perbaikan/baik
    if w.startswith(("me", "pe")):
        out.append(w[2:])  # melayani/layan, pelapisan/lapis, perakitan/rakit (pe+rakit)
    if w.startswith(("ber", "ter")):
        out.append(w[3:])
    if w.startswith("bekerja"):
        out.append(w[2:])
    if w.startswith(("di", "ke")):
        out.append(w[2:])
    if w.startswith("nge") and len(w) > 3 and w[3] not in _VOWELS:
        out.append(w[3:])  # colloquial: ngelas, ngecor, ngebubut
    elif w.startswith("ng") and len(w) > 2 and w[2] in _VOWELS:
        out += [w[2:], "k" + w[2:]]  # ngolah/olah, ngirim/kirim
    elif w.startswith("ny") and len(w) > 2 and w[2] in _VOWELS:
        out.append("s" + w[2:])  # nyepuh/sepuh (kept only if it is a known root)
    elif w.startswith("n") and len(w) > 1 and w[1] in _VOWELS:
        out.append("t" + w[1:])  # nempa/tempa, nekuk/tekuk (kept only if it is a known root)
    return [c for c in out if len(c) >= 3]


def _suffix_candidates(word: str, *, allow_i: bool) -> list[str]:
    """``allow_i`` is true when the word carries a prefix (melayani → layan; besi stays besi)."""
    out = [word]
    for particle in ("nya", "lah", "kah"):
        if word.endswith(particle) and len(word) - len(particle) >= 3:
            word = word[: -len(particle)]
            out.append(word)
            break
    if word.endswith("kan") and len(word) >= 6:
        # dikeraskan → keras (-kan) but cetakan → cetak (-an). The lexicon decides; without a hit the last
        # entry is the default: -kan is a verb suffix and comes with a prefix, a bare "...kan" is a noun.
        out += [word[:-2], word[:-3]] if allow_i else [word[:-3], word[:-2]]
    elif word.endswith("an") and len(word) >= 5:
        out.append(word[:-2])
    elif allow_i and word.endswith("i") and len(word) >= 5:
        out.append(word[:-1])
    return out


_PREFIX_RE = re.compile(r"^(?:me|pe|di|ber|ter|ke|be|ng)")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Light Indonesian stem of one lowercase token (see module docstring); idempotent on roots."""
    if len(word) <= 3 or word in PROTECTED or word in ROOTS or not word.isalpha():
        return word
    has_prefix = bool(_PREFIX_RE.match(word))
    suffixed = _suffix_candidates(word, allow_i=has_prefix)
    # Most-stripped candidates first: a lexicon hit after removing both affixes is the best evidence.
    candidates: list[str] = []
    for s in reversed(suffixed):
        for p in _prefix_candidates(s):
            candidates += _prefix_candidates(p) if p not in ROOTS else []
            candidates.append(p)
    candidates += list(reversed(suffixed))
    for c in candidates:
        if c in ROOTS or c in PROTECTED:
            return c
    # No lexicon hit: plain rules, conservatively (keep at least four letters).
    base = suffixed[-1] if len(suffixed[-1]) >= 4 else word
    if has_prefix:
        for p in _prefix_candidates(base):
            if len(p) >= 4:
                return p
    return base


@lru_cache(maxsize=131072)
def canonical(token: str) -> str:
    """Variant folding, then stemming, then folding again (pengecoran → cor, fraisan → frais)."""
    folded = VARIANTS.get(token)
    if folded is not None:
        return folded
    stemmed = stem(token)
    return VARIANTS.get(stemmed, stemmed)


def canonical_tokens(text: str) -> list[str]:
    """All canonical tokens of ``text`` in order, stopwords included (the phrase matcher needs them)."""
    return [canonical(t) for t in _TOKEN_RE.findall(text.lower())]


def normalize(text: str) -> str:
    """Human-readable normal form: canonical tokens joined by spaces (useful in tests and debugging)."""
    return " ".join(canonical_tokens(text))


# --- phrase table --------------------------------------------------------------------------------------

_CAST = "@cast"  # pseudo-code: a casting mention; resolved to a specific casting code by the metal near it
_IRON = "@iron"  # pseudo-code: bare "besi"; a material only when it is what is being cast

#: (phrase as written, {code: confidence}). Phrases are canonicalised at import with the same pipeline
#: as the text, so writing "pengecoran" or "coran" here is the same. Longest phrase wins at a position.
_PHRASES: tuple[tuple[str, dict[str, float]], ...] = (
    # machining
    ("bubut", {"turning": 0.9}),
    ("mesin bubut", {"turning": 1.0}),
    ("bubut cnc", {"turning": 0.9, "cnc-machining": 0.9}),
    ("cnc", {"cnc-machining": 0.9}),
    ("mesin cnc", {"cnc-machining": 1.0}),
    ("cnc milling", {"cnc-machining": 1.0, "milling": 0.9}),
    ("cnc turning", {"cnc-machining": 1.0, "turning": 0.9}),
    ("machining center", {"cnc-machining": 1.0, "milling": 0.8}),
    ("permesinan", {"cnc-machining": 0.4, "turning": 0.4, "milling": 0.4}),
    ("permesinan presisi", {"cnc-machining": 0.7, "turning": 0.5, "milling": 0.5}),
    ("frais", {"milling": 0.9}),
    ("mesin frais", {"milling": 1.0}),
    ("bor", {"drilling": 0.8}),
    ("mesin bor", {"drilling": 1.0}),
    ("gerinda", {"grinding": 0.8}),
    ("surface grinding", {"grinding": 1.0}),
    ("gerinda permukaan", {"grinding": 1.0}),
    ("cylindrical grinding", {"grinding": 1.0}),
    # forming
    ("tempa", {"forging": 0.9}),
    ("pande besi", {"forging": 0.8, "carbon-steel": 0.4}),
    ("pandai besi", {"forging": 0.8, "carbon-steel": 0.4}),
    ("pres", {"stamping": 0.8}),
    ("mesin pres", {"stamping": 0.9}),
    ("plat pres", {"stamping": 0.9, "steel-plate": 0.5}),
    ("pres plat", {"stamping": 0.9, "steel-plate": 0.5}),
    ("deep drawing", {"deep-drawing": 1.0}),
    ("tarik dalam", {"deep-drawing": 0.9}),
    ("tekuk", {"bending": 0.9}),
    ("press brake", {"bending": 1.0}),
    ("bengkok", {"bending": 0.6}),
    ("rol plat", {"bending": 0.7, "steel-plate": 0.5}),
    # fabrication
    ("las", {"welding": 0.9}),
    ("sheet metal", {"sheet-metal": 1.0}),
    ("kerja plat", {"sheet-metal": 0.9}),
    ("fabrikasi plat", {"sheet-metal": 0.9, "welding": 0.4}),
    ("fabrikasi", {"welding": 0.4, "sheet-metal": 0.3, "steel-structure": 0.3}),
    ("plat", {"sheet-metal": 0.3, "steel-plate": 0.4}),
    ("laser cutting", {"laser-cutting": 1.0}),
    ("potong laser", {"laser-cutting": 1.0}),
    ("laser", {"laser-cutting": 0.8}),
    ("plasma", {"laser-cutting": 0.4}),
    ("cnc plasma", {"laser-cutting": 0.5}),
    ("potong plasma", {"laser-cutting": 0.5}),
    ("struktur baja", {"steel-structure": 1.0, "carbon-steel": 0.5}),
    ("konstruksi baja", {"steel-structure": 1.0, "carbon-steel": 0.5}),
    ("rangka baja", {"steel-structure": 0.8, "carbon-steel": 0.5}),
    ("baja ringan", {"steel-structure": 0.6, "galvanized-sheet": 0.5}),
    ("tower", {"steel-structure": 0.5}),
    ("jembatan", {"steel-structure": 0.4}),
    # treatment and finishing
    ("galvanis", {"galvanizing": 0.9}),
    ("galvanis celup", {"galvanizing": 1.0}),
    ("hot dip", {"galvanizing": 1.0}),
    ("galvanis listrik", {"electroplating": 0.9}),
    ("sepuh", {"heat-treatment": 0.9}),
    ("keras", {"heat-treatment": 0.6}),
    ("heat treatment", {"heat-treatment": 1.0}),
    ("perlakuan panas", {"heat-treatment": 1.0}),
    ("induction hardening", {"heat-treatment": 1.0}),
    ("krom", {"electroplating": 0.9}),
    ("nikel", {"electroplating": 0.8}),
    ("elektroplating", {"electroplating": 1.0}),
    ("lapis krom", {"electroplating": 1.0}),
    ("lapis nikel", {"electroplating": 1.0}),
    ("lapis seng", {"electroplating": 0.7}),
    ("cat", {"painting": 0.8}),
    ("cat bakar", {"painting": 0.9}),
    ("powder coating", {"painting": 1.0}),
    ("coating", {"painting": 0.5}),
    ("sandblasting", {"painting": 0.4}),
    # tooling and assembly
    ("dies", {"mould-dies": 0.9}),
    ("cetak", {"mould-dies": 0.5}),
    ("cetak pasir", {_CAST: 0.8}),
    ("cetak logam", {_CAST: 0.6}),
    ("jig", {"mould-dies": 0.4}),
    ("pola", {"pattern-making": 0.8}),
    ("pola kayu", {"pattern-making": 1.0}),
    ("rakit", {"assembly": 0.8}),
    # casting (the pseudo-code is resolved by the metal nearby)
    ("cor", {_CAST: 0.9}),
    # "besi"/"logam" alone name no material, but next to a casting mention "besi" means cast iron,
    # i.e. grey iron unless qualified ("pengecoran besi" in Ceper is grey iron).
    ("besi", {_IRON: 0.7}),
    ("tuang", {_CAST: 0.6}),
    ("lebur", {_CAST: 0.5}),
    ("tanur", {_CAST: 0.5}),
    ("tanur induksi", {_CAST: 0.7}),
    ("kupola", {_CAST: 0.7, "grey-iron": 0.6}),
    ("die casting", {"die-casting": 1.0, "aluminium": 0.5}),
    ("cor tekan", {"die-casting": 0.9}),
    ("hpdc", {"die-casting": 1.0, "aluminium": 0.5}),
    # materials
    ("aluminium", {"aluminium": 1.0}),
    ("kuningan", {"brass": 1.0}),
    ("perunggu", {"bronze": 1.0}),
    ("tembaga", {"copper": 1.0}),
    ("stainless", {"stainless-steel": 1.0}),
    ("stainless steel", {"stainless-steel": 1.0}),
    ("baja tahan karat", {"stainless-steel": 1.0}),
    ("ss 304", {"stainless-steel": 1.0}),
    ("ss 316", {"stainless-steel": 1.0}),
    ("ss 201", {"stainless-steel": 1.0}),
    ("stainless 304", {"stainless-steel": 1.0}),
    ("ss 400", {"carbon-steel": 1.0}),
    ("st 37", {"carbon-steel": 1.0}),
    ("st 41", {"carbon-steel": 1.0}),
    ("s 45 c", {"carbon-steel": 1.0}),
    ("baja karbon", {"carbon-steel": 1.0}),
    ("carbon steel", {"carbon-steel": 1.0}),
    ("baja", {"carbon-steel": 0.6}),
    ("besi baja", {"carbon-steel": 0.6}),
    ("baja paduan", {"alloy-steel": 1.0}),
    ("alloy steel", {"alloy-steel": 1.0}),
    ("baja perkakas", {"alloy-steel": 0.8}),
    ("scm 440", {"alloy-steel": 1.0}),
    ("skd 11", {"alloy-steel": 1.0}),
    ("skd 61", {"alloy-steel": 1.0}),
    ("vcn 150", {"alloy-steel": 1.0}),
    ("besi kelabu", {"grey-iron": 1.0}),
    ("besi cor kelabu", {"grey-iron": 1.0, _CAST: 0.6}),
    ("besi cor", {"grey-iron": 0.8, _CAST: 0.6}),
    ("baja cor", {"carbon-steel": 0.7, _CAST: 0.6}),
    ("besi tuang", {"grey-iron": 0.8, _CAST: 0.6}),
    ("fc 200", {"grey-iron": 1.0}),
    ("fc 250", {"grey-iron": 1.0}),
    ("fc 300", {"grey-iron": 1.0}),
    ("kelabu", {"grey-iron": 0.5}),
    ("nodular", {"ductile-iron": 0.9}),
    ("besi nodular", {"ductile-iron": 1.0}),
    ("besi cor nodular", {"ductile-iron": 1.0, _CAST: 0.6}),
    ("besi ulet", {"ductile-iron": 0.9}),
    ("plat baja", {"steel-plate": 0.9}),
    ("plat besi", {"steel-plate": 0.9}),
    ("plat hitam", {"steel-plate": 0.9}),
    ("plat strip", {"steel-plate": 0.8}),
    ("plat galvanis", {"galvanized-sheet": 1.0}),
    ("plat seng", {"galvanized-sheet": 0.9}),
    ("seng", {"galvanized-sheet": 0.6}),
    ("bjls", {"galvanized-sheet": 1.0}),
    ("galvalume", {"galvanized-sheet": 0.9}),
    ("plat stainless", {"stainless-steel": 1.0, "sheet-metal": 0.5}),
    ("plat aluminium", {"aluminium": 1.0, "sheet-metal": 0.5}),
)

_CERT_PHRASES: tuple[tuple[str, str], ...] = (
    ("iso 9001", "iso-9001"),
    ("iso 14001", "iso-14001"),
    ("iatf 16949", "iatf-16949"),
    ("ts 16949", "iatf-16949"),
    ("sni", "sni"),
    ("tkdn", "tkdn"),
    ("smk 3", "smk3"),
)

#: Metal → the casting code a casting mention next to it means.
_CAST_BY_MATERIAL: dict[str, str] = {
    "grey-iron": "cast-grey-iron",
    "ductile-iron": "cast-ductile-iron",
    "carbon-steel": "cast-steel",
    "alloy-steel": "cast-steel",
    "stainless-steel": "cast-steel",
    _IRON: "cast-grey-iron",
    "aluminium": "cast-aluminium",
    "brass": "cast-brass-bronze",
    "bronze": "cast-brass-bronze",
    "copper": "cast-brass-bronze",
}
#: A bare "pengecoran" with no metal in sight: Indonesian foundry clusters (Ceper, Tegal, Batur) are
#: mostly grey-iron, so that is the likeliest reading; the others get a faint hint only.
_CAST_DEFAULT: dict[str, float] = {
    "cast-grey-iron": 0.5,
    "cast-ductile-iron": 0.25,
    "cast-steel": 0.2,
    "cast-aluminium": 0.2,
    "cast-brass-bronze": 0.2,
}
_CAST_WINDOW = 4  # tokens between "cor" and the metal it refers to ("coran dari bahan kuningan")
_CAST_FAR_FACTOR = 0.6  # metal named elsewhere in the text: probably, not certainly, what they cast
_NEGATION_WINDOW = 3


def _build_table(phrases: Iterable[tuple[str, object]]) -> tuple[dict[tuple[str, ...], object], int]:
    table: dict[tuple[str, ...], object] = {}
    for phrase, value in phrases:
        key = tuple(canonical_tokens(phrase))
        if not key:
            raise ValueError(f"empty phrase {phrase!r}")
        table[key] = value
    return table, max(len(k) for k in table)


_PHRASE_TABLE, _PHRASE_MAX = _build_table(_PHRASES)
_CERT_TABLE, _CERT_MAX = _build_table(_CERT_PHRASES)
#: first token → longest phrase starting with it: most tokens start no phrase and cost one lookup.
_PHRASE_STARTS: dict[str, int] = {}
for _key in _PHRASE_TABLE:
    _PHRASE_STARTS[_key[0]] = max(_PHRASE_STARTS.get(_key[0], 0), len(_key))

_KNOWN_CODES = set(PROCESS_INDEX) | set(MATERIAL_INDEX) | {_CAST, _IRON}
for _codes in _PHRASE_TABLE.values():
    assert set(_codes) <= _KNOWN_CODES, _codes  # type: ignore[arg-type]


@dataclass(slots=True)
class TextAnalysis:
    """What the scorer needs from one text: TF-IDF tokens and codes with confidence."""

    tokens: list[str]
    codes: dict[str, float] = field(default_factory=dict)


def _noisy_or(into: dict[str, float], code: str, confidence: float) -> None:
    """Independent mentions reinforce each other without ever exceeding 1."""
    prior = into.get(code, 0.0)
    into[code] = 1.0 - (1.0 - prior) * (1.0 - confidence)


def _negated(tokens: list[str], start: int) -> bool:
    lo = max(0, start - _NEGATION_WINDOW)
    return any(t in NEGATIONS for t in tokens[lo:start])


def _match_codes(tokens: list[str]) -> dict[str, float]:
    codes: dict[str, float] = {}
    casts: list[tuple[int, float]] = []  # (position, confidence) of casting mentions
    metals: list[tuple[int, str, float]] = []  # (position, material, confidence)
    i, n = 0, len(tokens)
    may_negate = not NEGATIONS.isdisjoint(tokens)
    while i < n:
        hit = None
        longest = _PHRASE_STARTS.get(tokens[i], 0)
        for length in range(min(longest, n - i), 0, -1):
            hit = _PHRASE_TABLE.get(tuple(tokens[i : i + length]))
            if hit is not None:
                break
        if hit is None:
            i += 1
            continue
        if not (may_negate and _negated(tokens, i)):
            for code, conf in hit.items():  # type: ignore[union-attr]
                if code == _CAST:
                    casts.append((i, conf))
                    continue
                if code == _IRON:
                    metals.append((i, _IRON, conf))
                    continue
                _noisy_or(codes, code, conf)
                if code in _CAST_BY_MATERIAL:
                    metals.append((i, code, conf))
        i += length
    for pos, cast_conf in casts:
        near = [(m, c) for p, m, c in metals if abs(p - pos) <= _CAST_WINDOW]
        far = [(m, c * _CAST_FAR_FACTOR) for p, m, c in metals if abs(p - pos) > _CAST_WINDOW]
        chosen = near or far
        if chosen:
            for material, mat_conf in chosen:
                if material == _IRON:  # "pengecoran besi": the bare metal is now known to be cast iron
                    _noisy_or(codes, "grey-iron", cast_conf * mat_conf)
                _noisy_or(codes, _CAST_BY_MATERIAL[material], cast_conf * mat_conf)
        else:
            for code, hint in _CAST_DEFAULT.items():
                _noisy_or(codes, code, cast_conf * hint)
    return codes


def codes_from_text(text: str) -> dict[str, float]:
    """Process and material codes written in ``text``, each with a confidence in (0, 1].

    >>> sorted(codes_from_text("Kami melayani bubut dan frais CNC"))
    ['cnc-machining', 'milling', 'turning']
    """
    return _match_codes(canonical_tokens(text))


def certifications_from_text(text: str) -> set[str]:
    """Certificates claimed in prose. Only for hints: a claim without a document never gates a need."""
    tokens = canonical_tokens(text)
    found: set[str] = set()
    for i in range(len(tokens)):
        for length in range(min(_CERT_MAX, len(tokens) - i), 0, -1):
            code = _CERT_TABLE.get(tuple(tokens[i : i + length]))
            if code is not None:
                found.add(code)  # type: ignore[arg-type]
                break
    return found


def index_tokens(tokens: Iterable[str]) -> list[str]:
    """The tokens worth indexing for TF-IDF: no stopwords, negations, numbers or single letters."""
    return [t for t in tokens if len(t) > 1 and t not in STOPWORDS and t not in NEGATIONS and not t.isdigit()]


def analyse(text: str) -> TextAnalysis:
    """Tokens for TF-IDF and codes from one text, in a single pass over its canonical tokens."""
    tokens = canonical_tokens(text)
    return TextAnalysis(tokens=index_tokens(tokens), codes=_match_codes(tokens))
