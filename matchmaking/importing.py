"""Importing buyer needs from CSV or XLSX (DESIGN.md "Import formats": the needs columns are the contract).

Same behaviour as the IKM importer: every row validated first with its errors; then all valid rows in one
transaction, or nothing. `ref` is the key: importing again updates. A buyer named in the file is created
if missing. Imported needs are open; processes, materials and listed certifications are required.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from profiles.enums import BuyerType
from profiles.importing import cells
from profiles.importing.tables import TableError, read_table
from profiles.models import BuyerOrganisation, Certification, Kabupaten, Material, Process
from profiles.reference.regions import normalise_kabupaten_name

from .enums import NeedStatus, QuantityUnit
from .models import Need, NeedCertification, NeedMaterial, NeedProcess

REQUIRED_COLUMNS = ["ref", "buyer", "buyer_type", "title", "description", "processes", "materials",
                    "certifications_required", "quantity_tons_month", "kabupaten", "import_substitution",
                    "deadline"]
OPTIONAL_COLUMNS = ["estimated_value_idr", "tolerance", "notes"]


@dataclass
class NeedRow:
    number: int
    ref: str
    title: str
    errors: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)


@dataclass
class NeedImportPreview:
    file_errors: list[str]
    rows: list[NeedRow]

    @property
    def valid_rows(self) -> list[NeedRow]:
        return [r for r in self.rows if not r.errors]

    @property
    def invalid_rows(self) -> list[NeedRow]:
        return [r for r in self.rows if r.errors]


@dataclass(frozen=True)
class NeedImportResult:
    created: int
    updated: int
    skipped: int
    buyers_created: int


def need_file_preview(*, data: bytes, filename: str) -> NeedImportPreview:
    """Read and check every row; nothing is written."""
    try:
        header, rows = read_table(data, filename)
    except TableError as exc:
        return NeedImportPreview(file_errors=[str(exc)], rows=[])
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        return NeedImportPreview(file_errors=[_("Missing columns: %(cols)s") % {"cols": ", ".join(missing)}], rows=[])
    kabupaten = {k.name_key: k for k in Kabupaten.objects.all()}
    processes = {p.code: p for p in Process.objects.all()}
    materials = {m.code: m for m in Material.objects.all()}
    certifications = {c.code: c for c in Certification.objects.all()}
    seen: dict[str, int] = {}
    result = []
    for row in rows:
        c = row.cells
        errors: list[str] = []
        ref = c.get("ref", "")
        if not ref:
            errors.append(_("ref is empty"))
        elif ref in seen:
            errors.append(_("duplicate ref '%(ref)s' (also on row %(row)d)") % {"ref": ref, "row": seen[ref]})
        else:
            seen[ref] = row.number
        for column in ("buyer", "title"):
            if not c.get(column):
                errors.append(_("%(col)s is empty") % {"col": column})
        buyer_type = c.get("buyer_type", "").strip().lower()
        if buyer_type not in BuyerType.values:
            errors.append(_("buyer_type must be one of %(v)s") % {"v": "|".join(BuyerType.values)})
        delivery = None
        if c.get("kabupaten"):
            delivery = kabupaten.get(normalise_kabupaten_name(c["kabupaten"]))
            if delivery is None:
                errors.append(_("unknown kabupaten/kota '%(v)s'") % {"v": c["kabupaten"]})
        values = {
            "buyer": c.get("buyer", ""), "buyer_type": buyer_type, "title": c.get("title", "")[:200],
            "description": c.get("description", ""), "delivery_kabupaten": delivery,
            "tolerance": c.get("tolerance", "")[:200], "notes": c.get("notes", ""),
            "processes": cells.parse_codes(c.get("processes", ""), processes, _("process"), errors),
            "materials": cells.parse_codes(c.get("materials", ""), materials, _("material"), errors),
            "certifications": cells.parse_codes(c.get("certifications_required", ""), certifications, _("certification"),
                                     errors),
        }
        if not values["processes"] and not any("process" in e for e in errors):
            errors.append(_("name at least one process"))
        parsers = {"quantity": ("quantity_tons_month", cells.parse_decimal),
                   "import_substitution": ("import_substitution", cells.parse_bool),
                   "deadline": ("deadline", cells.parse_date),
                   "estimated_value_idr": ("estimated_value_idr", cells.parse_int)}
        for key, (column, parse) in parsers.items():
            try:
                values[key] = parse(c.get(column, ""))
            except cells.CellError as exc:
                errors.append(f"{column}: {exc}")
        result.append(NeedRow(number=row.number, ref=ref, title=values["title"], errors=errors, values=values))
    return NeedImportPreview(file_errors=[], rows=result)


@transaction.atomic
def need_rows_commit(preview: NeedImportPreview, *, skip_invalid: bool = False) -> NeedImportResult:
    """Write the valid rows in one transaction; with errors and without skip_invalid, raise ValueError."""
    if preview.file_errors or (preview.invalid_rows and not skip_invalid):
        raise ValueError("the import has errors")
    buyers = {b.name.lower(): b for b in BuyerOrganisation.objects.all()}
    created = updated = buyers_created = 0
    existing = {n.ref: n for n in Need.objects.select_for_update().filter(ref__in=[r.ref for r in preview.valid_rows])}
    for row in preview.valid_rows:
        v = row.values
        buyer = buyers.get(v["buyer"].lower())
        if buyer is None:
            buyer = buyers[v["buyer"].lower()] = BuyerOrganisation.objects.create(name=v["buyer"], type=v["buyer_type"])
            buyers_created += 1
        need = existing.get(row.ref) or Need(ref=row.ref, status=NeedStatus.OPEN, opened_at=timezone.now())
        created, updated = (created + 1, updated) if need.pk is None else (created, updated + 1)
        need.buyer = buyer
        need.quantity_unit = QuantityUnit.TON
        for name in ("title", "description", "delivery_kabupaten", "tolerance", "notes", "quantity",
                     "import_substitution", "deadline", "estimated_value_idr"):
            setattr(need, name, v[name])
        need.save()
        NeedProcess.objects.filter(need=need).delete()
        NeedMaterial.objects.filter(need=need).delete()
        NeedCertification.objects.filter(need=need).delete()
        NeedProcess.objects.bulk_create([NeedProcess(need=need, process=p) for p in v["processes"]])
        NeedMaterial.objects.bulk_create([NeedMaterial(need=need, material=m) for m in v["materials"]])
        NeedCertification.objects.bulk_create([NeedCertification(need=need, certification=c)
                                               for c in v["certifications"]])
    return NeedImportResult(created=created, updated=updated, skipped=len(preview.invalid_rows),
                            buyers_created=buyers_created)
