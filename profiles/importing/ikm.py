"""Validating and writing IKM rows (DESIGN.md "Import formats": the IKM columns are the contract).

Validation reads the whole file against the database once (kabupaten, codes, existing refs) and gives
every row its errors; `ikm_rows_commit` then writes all valid rows in one transaction with bulk queries,
so 10,000 rows take seconds, and a failure writes nothing.
"""

from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from profiles.models import (
    Certification,
    IkmCertification,
    IkmProfile,
    Kabupaten,
    Material,
    Process,
    Product,
    Sentra,
    User,
)
from profiles.reference.regions import normalise_kabupaten_name
from profiles.rules import kabupaten_in_scope

from . import cells
from .bulk import bulk_update_rows
from .tables import Row

REQUIRED_COLUMNS = ["ref", "name", "owner", "phone", "email", "kabupaten", "processes", "materials",
                    "certifications", "employees", "capacity_tons_month", "description"]
# From this many IKMs written, the import refreshes the tables' planner statistics (ANALYZE) after commit.
ANALYZE_FROM = 500
OPTIONAL_COLUMNS = ["sentra", "address", "products", "nib", "latitude", "longitude"]


@dataclass
class IkmRow:
    number: int
    ref: str
    name: str
    errors: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    exists: bool = False

    @property
    def valid(self) -> bool:
        return not self.errors


@dataclass
class IkmImportPreview:
    file_errors: list[str]
    rows: list[IkmRow]

    @property
    def valid_rows(self) -> list[IkmRow]:
        return [row for row in self.rows if row.valid]

    @property
    def invalid_rows(self) -> list[IkmRow]:
        return [row for row in self.rows if not row.valid]

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.invalid_rows


@dataclass(frozen=True)
class IkmImportResult:
    created: int
    updated: int
    skipped: int
    unchanged: int = 0


def ikm_rows_validate(header: list[str], rows: list[Row], *, scope_user: User | None = None) -> IkmImportPreview:
    """Check every row; nothing is written. `scope_user` (Dinas) limits rows to their region."""
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        return IkmImportPreview(
            file_errors=[_("Missing columns: %(cols)s") % {"cols": ", ".join(missing)}], rows=[])
    kabupaten_by_key = {k.name_key: k for k in Kabupaten.objects.all()}
    processes = {p.code: p for p in Process.objects.all()}
    materials = {m.code: m for m in Material.objects.all()}
    certifications = {c.code: c for c in Certification.objects.all()}
    sentra_by_name = {s.name.lower(): s for s in Sentra.objects.all()}
    existing_refs = set(IkmProfile.objects.filter(ref__in=[r.cells.get("ref", "") for r in rows])
                        .values_list("ref", flat=True))
    nib_owner = dict(IkmProfile.objects.exclude(nib=None).values_list("nib", "ref"))
    seen_refs: dict[str, int] = {}
    seen_nibs: dict[str, int] = {}
    result = []
    for row in rows:
        c = row.cells
        errors: list[str] = []
        ref = c.get("ref", "")
        item = IkmRow(number=row.number, ref=ref, name=c.get("name", ""), errors=errors, exists=ref in existing_refs)
        if not ref:
            errors.append(_("ref is empty"))
        elif ref in seen_refs:
            errors.append(_("duplicate ref '%(ref)s' (also on row %(row)d)") % {"ref": ref, "row": seen_refs[ref]})
        else:
            seen_refs[ref] = row.number
        for column in ("name", "owner", "kabupaten"):
            if not c.get(column):
                errors.append(_("%(col)s is empty") % {"col": column})
        kabupaten = None
        if c.get("kabupaten"):
            kabupaten = kabupaten_by_key.get(normalise_kabupaten_name(c["kabupaten"]))
            if kabupaten is None:
                errors.append(_("unknown kabupaten/kota '%(v)s'") % {"v": c["kabupaten"]})
            elif scope_user is not None and not kabupaten_in_scope(scope_user, kabupaten):
                errors.append(_("%(kab)s is outside your region") % {"kab": kabupaten})
        values = {
            "name": c.get("name", ""), "owner_name": c.get("owner", ""), "kabupaten": kabupaten,
            "description": c.get("description", ""), "address": c.get("address", ""),
            "processes": cells.parse_codes(c.get("processes", ""), processes, _("process"), errors),
            "materials": cells.parse_codes(c.get("materials", ""), materials, _("material"), errors),
            "certifications": cells.parse_codes(c.get("certifications", ""), certifications, _("certification"), errors),
            "products": [p.strip() for p in c.get("products", "").split(cells.LIST_SEPARATOR) if p.strip()],
        }
        parsers = {
            "phone": cells.parse_phone, "email": cells.parse_email, "nib": cells.parse_nib,
            "employees": cells.parse_int, "capacity_tons_month": cells.parse_decimal,
            "latitude": lambda v: cells.parse_float_between(v, -11.5, 6.5, "latitude"),
            "longitude": lambda v: cells.parse_float_between(v, 94.5, 141.5, "longitude"),
        }
        for column, parse in parsers.items():
            try:
                values[column] = parse(c.get(column, ""))
            except cells.CellError as exc:
                errors.append(f"{column}: {exc}")
        if (values.get("latitude") is None) != (values.get("longitude") is None):
            errors.append(_("give both latitude and longitude, or neither"))
        nib = values.get("nib")
        if nib:
            if nib in seen_nibs:
                errors.append(_("NIB %(nib)s also on row %(row)d") % {"nib": nib, "row": seen_nibs[nib]})
            elif nib in nib_owner and nib_owner[nib] != ref:
                errors.append(_("NIB %(nib)s belongs to another IKM") % {"nib": nib})
            seen_nibs.setdefault(nib, row.number)
        sentra_name = c.get("sentra", "")
        values["sentra_name"] = sentra_name
        if sentra_name and kabupaten is not None:
            sentra = sentra_by_name.get(sentra_name.lower())
            if sentra is not None and sentra.kabupaten_id != kabupaten.pk:
                errors.append(_("sentra '%(s)s' is in %(kab)s") % {"s": sentra_name, "kab": sentra.kabupaten})
        if len(values["name"]) > 200:
            errors.append(_("name is longer than 200 characters"))
        item.values = values
        result.append(item)
    return IkmImportPreview(file_errors=[], rows=result)


FOREIGN_KEYS = {"kabupaten", "sentra"}
SCALAR_FIELDS = ["name", "owner_name", "kabupaten", "sentra", "description", "address", "phone", "email",
                 "nib", "employees", "capacity_tons_month", "latitude", "longitude"]


@transaction.atomic
def ikm_rows_commit(preview: IkmImportPreview, *, skip_invalid: bool = False) -> IkmImportResult:
    """Write the valid rows: create new refs, update existing ones; all in one transaction.

    Without `skip_invalid`, any invalid row (or file error) means nothing is written (ValueError).
    Lists (processes, materials, certifications) are replaced by the file's; products named in the
    file are added if missing; certificate numbers and expiry dates already recorded are kept.
    """
    if preview.file_errors or (preview.invalid_rows and not skip_invalid):
        raise ValueError("the import has errors")
    rows = preview.valid_rows
    if not rows:
        return IkmImportResult(created=0, updated=0, skipped=len(preview.invalid_rows))
    sentra = {s.name.lower(): s for s in Sentra.objects.all()}
    for row in rows:
        name = row.values["sentra_name"]
        if name and name.lower() not in sentra:
            sentra[name.lower()] = Sentra.objects.create(name=name, kabupaten=row.values["kabupaten"])
        row.values["sentra"] = sentra.get(name.lower()) if name else None
    existing = {ikm.ref: ikm for ikm in IkmProfile.objects.select_for_update().filter(ref__in=[r.ref for r in rows])}
    to_create, to_update, unchanged = [], [], 0
    now = timezone.now()
    for row in rows:
        ikm = existing.get(row.ref) or IkmProfile(ref=row.ref)
        changed = False
        for name in SCALAR_FIELDS:
            value = row.values.get(name)
            if name in ("phone", "email", "address", "description") and value is None:
                value = ""
            if name in FOREIGN_KEYS:
                if getattr(ikm, f"{name}_id") != (value.pk if value else None):
                    setattr(ikm, name, value)
                    changed = True
            elif getattr(ikm, name) != value:
                setattr(ikm, name, value)
                changed = True
        if ikm.pk is None:
            to_create.append(ikm)
        elif changed:
            ikm.updated_at = now
            to_update.append(ikm)
        else:
            unchanged += 1
    IkmProfile.objects.bulk_create(to_create, batch_size=1000)
    bulk_update_rows(IkmProfile, to_update, [*SCALAR_FIELDS, "updated_at"])
    by_ref = {ref: ikm.pk for ref, ikm in existing.items()}
    by_ref.update({ikm.ref: ikm.pk for ikm in to_create})
    if to_create and to_create[0].pk is None:  # backends without RETURNING ids
        by_ref = dict(IkmProfile.objects.filter(ref__in=[r.ref for r in rows]).values_list("ref", "pk"))
    ikm_ids = [by_ref[row.ref] for row in rows]
    _sync_pairs(IkmProfile.processes.through, "ikmprofile_id", "process_id", ikm_ids,
                {(by_ref[row.ref], obj.pk) for row in rows for obj in row.values["processes"]})
    _sync_pairs(IkmProfile.materials.through, "ikmprofile_id", "material_id", ikm_ids,
                {(by_ref[row.ref], obj.pk) for row in rows for obj in row.values["materials"]})
    # Certificates already on file keep their numbers and expiry dates; only the set changes.
    _sync_pairs(IkmCertification, "ikm_id", "certification_id", ikm_ids,
                {(by_ref[row.ref], obj.pk) for row in rows for obj in row.values["certifications"]})
    _add_products(rows, by_ref)
    from profiles.services import ikm_changed

    ikm_changed([ikm.pk for ikm in to_create] + [ikm.pk for ikm in to_update])
    if len(to_create) + len(to_update) >= ANALYZE_FROM:
        transaction.on_commit(_analyze_imported_tables)
    return IkmImportResult(created=len(to_create), updated=len(to_update), unchanged=unchanged,
                           skipped=len(preview.invalid_rows))


def _analyze_imported_tables() -> None:
    """Refresh PostgreSQL's statistics of the tables a big import filled, so the directory's queries get
    good plans at once instead of after autovacuum's next pass (which may be an hour away)."""
    if connection.vendor != "postgresql":
        return
    tables = [IkmProfile._meta.db_table, IkmProfile.processes.through._meta.db_table,
              IkmProfile.materials.through._meta.db_table, IkmCertification._meta.db_table]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def _sync_pairs(model, owner_field: str, target_field: str, owner_ids: list[int], wanted: set[tuple]) -> None:
    """Make the (owner, target) rows of `model` for these owners exactly `wanted`, touching only the diff."""
    current = {
        (owner, target): pk
        for pk, owner, target in model.objects.filter(**{f"{owner_field}__in": owner_ids})
        .values_list("pk", owner_field, target_field)
    }
    stale = [pk for pair, pk in current.items() if pair not in wanted]
    if stale:
        model.objects.filter(pk__in=stale).delete()
    model.objects.bulk_create(
        [model(**{owner_field: owner, target_field: target}) for owner, target in sorted(wanted - current.keys())],
        batch_size=5000,
    )


def _add_products(rows, by_ref) -> None:
    wanted = {(by_ref[row.ref], name) for row in rows for name in row.values["products"]}
    if not wanted:
        return
    existing = set(Product.objects.filter(ikm_id__in={i for i, _n in wanted}).values_list("ikm_id", "name"))
    Product.objects.bulk_create([Product(ikm_id=i, name=n) for i, n in sorted(wanted - existing)], batch_size=5000)

