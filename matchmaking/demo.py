"""Demo buyer needs for `manage.py seed_demo`: what BUMN and manufacturers really source from IKM logam
(brake blocks and bogie bushings for the railways, line fittings for PLN, engine castings for Kubota,
stamped brackets for motorcycles), so IKM owners have opportunities and buyers have ranked suggestions.

Idempotent: each need is found by its `ref`. The demo buyer login's needs go through `need_save` like a
need posted on the site; the other organisations have no demo login, so theirs are written directly.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from profiles.models import BuyerOrganisation, Certification, Kabupaten, Material, Process, User

from .enums import NeedStatus, QuantityUnit
from .models import Need
from .services import need_changed, need_requirements_set, need_save, need_status_set


@dataclass(frozen=True)
class DemoNeed:
    ref: str
    buyer: str
    title: str
    description: str
    processes: dict[str, bool]  # code → required (False: preferred)
    materials: dict[str, bool] = field(default_factory=dict)
    certifications: dict[str, bool] = field(default_factory=dict)
    quantity: str = ""
    unit: str = QuantityUnit.PCS
    category: str = ""
    tolerance: str = ""
    kabupaten: str = ""
    days_left: int = 45
    imported: bool = False
    min_tkdn: str = ""
    value_idr: int | None = None
    status: str = NeedStatus.OPEN


KAI, PLN, KUBOTA = "PT Kereta Api Indonesia (Persero)", "PT PLN (Persero)", "PT Kubota Indonesia"
AHM, INKA = "PT Astra Honda Motor", "PT Industri Kereta Api (Persero)"

DEMO_NEEDS = [
    DemoNeed("DEMO-NEED-01", KAI, "Blok rem besi cor untuk gerbong barang",
             "Blok rem (brake shoe) besi cor kelabu FC200 sesuai gambar, pengganti impor. Pengiriman bertahap "
             "ke Balai Yasa.", {"cast-grey-iron": True, "turning": False}, {"grey-iron": True},
             {"sni": True, "iso-9001": False}, "12", QuantityUnit.TON, "Komponen rem", "FC200, kekerasan 180–229 HB",
             "Kota Semarang", 40, True, "40", 2_400_000_000),
    DemoNeed("DEMO-NEED-02", KAI, "Bushing kuningan bogie kereta penumpang",
             "Bushing perunggu/kuningan dibubut presisi untuk bogie K1; contoh tersedia di gudang.",
             {"cast-brass-bronze": True, "turning": True}, {"bronze": True, "brass": False}, {"iso-9001": False},
             "3000", QuantityUnit.PCS, "Komponen bogie", "ISO 2768-m", "Kota Bandung", 60, True, "", 900_000_000),
    DemoNeed("DEMO-NEED-03", KAI, "Klem dan bracket pipa rem galvanis",
             "Klem pipa rem dari plat baja dipres lalu digalvanis celup panas.",
             {"stamping": True, "galvanizing": False}, {"steel-plate": True}, {}, "8000", QuantityUnit.PCS,
             "Sistem rem", "", "Kota Semarang", 30, False, "", 350_000_000),
    DemoNeed("DEMO-NEED-04", KAI, "Rangka kursi penumpang (masih draf)",
             "Fabrikasi rangka kursi dari pipa dan plat baja, dilas dan dicat.",
             {"welding": True, "sheet-metal": True, "painting": False}, {"carbon-steel": True}, {},
             "400", QuantityUnit.PCS, "Interior", "", "Kota Bandung", 90, False, "", 1_100_000_000,
             NeedStatus.DRAFT),
    DemoNeed("DEMO-NEED-05", PLN, "Klem suspensi dan konektor SUTM aluminium",
             "Klem suspensi tuang aluminium untuk jaringan SUTM, mur-baut galvanis. Wajib SNI dan TKDN.",
             {"cast-aluminium": True, "galvanizing": False}, {"aluminium": True},
             {"sni": True, "tkdn": True}, "20000", QuantityUnit.PCS, "Aksesori jaringan", "SPLN D3",
             "Kota Surabaya", 35, True, "40", 3_200_000_000),
    DemoNeed("DEMO-NEED-06", KUBOTA, "Puli dan flywheel besi cor mesin diesel",
             "Puli dan flywheel besi cor nodular dibubut CNC dan diseimbangkan.",
             {"cast-ductile-iron": True, "cnc-machining": True}, {"ductile-iron": True}, {"iso-9001": True},
             "6", QuantityUnit.TON, "Komponen mesin", "FCD450, balancing G6.3", "Kabupaten Bekasi", 50, True, "",
             1_800_000_000),
    DemoNeed("DEMO-NEED-07", AHM, "Bracket stamping komponen rangka sepeda motor",
             "Bracket plat baja dipres progresif; pemasok menyiapkan dies.",
             {"stamping": True, "mould-dies": False}, {"steel-plate": True}, {"iatf-16949": False},
             "50000", QuantityUnit.PCS, "Rangka", "", "Kabupaten Karawang", 45, False, "", 2_000_000_000),
    DemoNeed("DEMO-NEED-08", INKA, "Fabrikasi komponen rangka bogie",
             "Pengelasan dan permesinan komponen rangka bogie; juru las bersertifikat.",
             {"welding": True, "steel-structure": False, "cnc-machining": True}, {"carbon-steel": True},
             {"iso-9001": True}, "40", QuantityUnit.TON, "Komponen bogie", "EN 15085", "Kota Madiun", 75, True, "35",
             4_500_000_000),
]


def _requirements(demo: DemoNeed) -> tuple[dict, dict, dict]:
    def objects(model, wanted: dict[str, bool]) -> dict:
        return {obj: wanted[obj.code] for obj in model.objects.filter(code__in=wanted)}

    return (objects(Process, demo.processes), objects(Material, demo.materials),
            objects(Certification, demo.certifications))


def _need(demo: DemoNeed, buyer: BuyerOrganisation) -> Need:
    return Need(
        ref=demo.ref, buyer=buyer, title=demo.title, description=demo.description,
        component_category=demo.category, quantity=Decimal(demo.quantity) if demo.quantity else None,
        quantity_unit=demo.unit, tolerance=demo.tolerance,
        delivery_kabupaten=Kabupaten.objects.filter(name=demo.kabupaten).first(),
        deadline=timezone.localdate() + dt.timedelta(days=demo.days_left), import_substitution=demo.imported,
        min_tkdn_percent=Decimal(demo.min_tkdn) if demo.min_tkdn else None, estimated_value_idr=demo.value_idr)


@transaction.atomic
def seed_demo_needs(*, buyer_staff: User) -> int:
    """Create the demo needs that are not there yet; returns how many were created."""
    existing = set(Need.objects.filter(ref__in=[d.ref for d in DEMO_NEEDS]).values_list("ref", flat=True))
    buyers = {b.name: b for b in BuyerOrganisation.objects.filter(name__in={d.buyer for d in DEMO_NEEDS})}
    created = 0
    for demo in DEMO_NEEDS:
        if demo.ref in existing or demo.buyer not in buyers:
            continue
        processes, materials, certifications = _requirements(demo)
        need = _need(demo, buyers[demo.buyer])
        if buyer_staff.buyer_organisation_id == need.buyer_id:
            need_save(need=need, by=buyer_staff, processes=processes, materials=materials,
                      certifications=certifications)
            if demo.status == NeedStatus.OPEN:
                need_status_set(need=need, by=buyer_staff, status=NeedStatus.OPEN)
        else:
            need.status = demo.status
            need.opened_at = timezone.now() if demo.status == NeedStatus.OPEN else None
            need.full_clean()
            need.save()
            need_requirements_set(need, processes=processes, materials=materials, certifications=certifications)
            need_changed(need)
        created += 1
    return created
