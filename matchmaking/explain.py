"""The short "why" of a suggestion, from the components stored with it (see ``recompute.stored_components``).

"Meets 2 of 2 processes · material matches · ISO 9001 · 45 km · capacity 30 t/month ≥ 12 t/month", and
what is missing, in the active language. Pure apart from gettext: the caller passes the taxonomy names.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from profiles.models import Certification, Material, Process


@dataclass(frozen=True)
class Why:
    met: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " · ".join(self.met)

    @property
    def missing_text(self) -> str:
        return " · ".join(self.missing)


def taxonomy_names() -> dict[str, str]:
    """Code → name of every process, material and certification, in the active language (three queries)."""
    names: dict[str, str] = {}
    for model in (Process, Material, Certification):
        for row in model.objects.all():
            names[row.code] = row.name
    return names


def _number(value: float, digits: str = "-1g") -> str:
    """A figure as the reader's language writes it: "1.234,5" in Indonesian, "1,234.5" in English."""
    return floatformat(value, digits) if value is not None else ""


def suggestion_why(components: Mapping, names: Mapping[str, str]) -> Why:
    """Met and missing facts of one stored suggestion, as short translated phrases."""
    met: list[str] = []
    missing: list[str] = []
    notes: list[str] = []

    def name(code: str) -> str:
        return names.get(code, code)

    processes = components.get("processes") or []
    if processes:
        n_met = sum(1 for p in processes if p[1])
        met.append(_("meets %(met)d of %(total)d processes") % {"met": n_met, "total": len(processes)})
        for code, ok, source, via in processes:
            if ok and source == "prose":
                notes.append(_("%(process)s found in the description") % {"process": name(code)})
            elif ok and source == "similar":
                notes.append(_("%(wanted)s through %(held)s") % {"wanted": name(code), "held": name(via)})
            elif not ok:
                missing.append(name(code))
    materials = components.get("materials") or []
    if materials:
        if all(m[1] for m in materials):
            met.append(_("material matches"))
        else:
            met.extend(name(m[0]) for m in materials if m[1])
            missing.extend(name(m[0]) for m in materials if not m[1])
    met.extend(name(code) for code in components.get("certs_met") or [])
    met.extend(name(code) for code in components.get("certs_preferred") or [])
    expired = set(components.get("certs_expired") or [])
    for code in components.get("certs_missing") or []:
        missing.append(_("%(certificate)s expired") % {"certificate": name(code)} if code in expired else name(code))
    km = components.get("km")
    if km is not None:
        met.append(_("%(km)s km") % {"km": _number(km, "0g")})
    capacity, quantity = components.get("capacity_tons"), components.get("quantity_tons")
    if capacity is not None and quantity is not None:
        values = {"have": _number(capacity), "need": _number(quantity)}
        if capacity >= quantity:
            met.append(_("capacity %(have)s t/month ≥ %(need)s t/month") % values)
        else:
            missing.append(_("capacity %(have)s t/month < %(need)s t/month") % values)
    if (components.get("trust") or 0) > 0:
        notes.append(_("earlier mutual interest"))
    if (components.get("dismissal") or 1) < 1:
        notes.append(_("marked not relevant on a similar need"))
    return Why(met=met, missing=missing, notes=notes)


def consortium_why(*, processes_met: int, processes_total: int, capacity: float | None,
                   quantity: float | None, same_sentra: str | None, km: float | None) -> str:
    """The combined "why" of a consortium (a group of IKMs that together cover a need)."""
    parts = [_("together meet %(met)d of %(total)d processes") % {"met": processes_met, "total": processes_total}]
    if capacity is not None and quantity is not None:
        parts.append(_("capacity %(have)s t/month ≥ %(need)s t/month") % {
            "have": _number(capacity), "need": _number(quantity)})
    if same_sentra:
        parts.append(_("all in %(sentra)s") % {"sentra": same_sentra})
    elif km is not None:
        parts.append(_("within %(km)s km of each other") % {"km": _number(km, "0g")})
    return " · ".join(parts)
