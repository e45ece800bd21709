"""Demo data drawn from how Indonesian metal clusters really look, for `manage.py seed_demo`.

Sentra LIK Takaru (Kabupaten Tegal): grey-iron castings and machined parts for pumps, agricultural
machines and ship fittings. Sentra Logam Ceper (Kabupaten Klaten): foundries for manhole covers, PDAM
fittings, brass taps. Sidoarjo and Pasuruan: machining, stamping and galvanising for automotive tier-2 and
construction. Buyers are the BUMN and manufacturers that run local-sourcing programmes.

Seeding is idempotent: rows are found by their `ref`, e-mail or name, so a second run changes nothing.
"""

import random
from dataclasses import dataclass
from decimal import Decimal

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .enums import BusinessSize, BuyerType, LegalForm, Role, VerificationStatus
from .models import (
    BuyerOrganisation,
    Certification,
    IkmCertification,
    IkmProfile,
    Kabupaten,
    Machine,
    Material,
    Process,
    Product,
    Sentra,
    User,
)

# The TOTP secret of the demo Dinas and admin accounts, so a demo visitor can add it to an
# authenticator app (two-factor is required for those roles). Never used outside demo data.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

SENTRA = [
    ("LIK Takaru", "Kabupaten Tegal", "Lingkungan Industri Kecil logam Takaru, Kecamatan Talang."),
    ("Sentra Logam Ceper", "Kabupaten Klaten", "Sentra pengecoran logam Batur, Ceper, sejak zaman kolonial."),
    ("Sentra Logam Waru", "Kabupaten Sidoarjo", "Bengkel permesinan dan fabrikasi di Waru dan Gedangan."),
    ("Sentra Logam Pasuruan", "Kabupaten Pasuruan", "Pengecoran dan permesinan di Bangil dan Beji."),
]

BUYERS = [
    ("PT Kereta Api Indonesia (Persero)", BuyerType.BUMN, "Transportasi kereta api", "Kota Bandung"),
    ("PT Industri Kereta Api (Persero)", BuyerType.BUMN, "Manufaktur sarana kereta", "Kota Madiun"),
    ("PT PLN (Persero)", BuyerType.BUMN, "Ketenagalistrikan", "Kota Jakarta Selatan"),
    ("PT Barata Indonesia (Persero)", BuyerType.BUMN, "Pengecoran dan manufaktur alat berat", "Kabupaten Gresik"),
    ("PT Krakatau Steel (Persero) Tbk", BuyerType.BUMN, "Baja", "Kota Cilegon"),
    ("PT Astra Honda Motor", BuyerType.SWASTA, "Otomotif roda dua", "Kota Jakarta Utara"),
    ("PT Kubota Indonesia", BuyerType.PMA, "Mesin pertanian dan mesin diesel", "Kota Semarang"),
    ("PT Panasonic Manufacturing Indonesia", BuyerType.PMA, "Elektronik rumah tangga", "Kota Jakarta Timur"),
]

# (name stem, processes, materials, certifications, products, description) per cluster profile.
PROFILES = {
    "LIK Takaru": [
        ("Logam Jaya", "cast-grey-iron;turning;painting", "grey-iron", "iso-9001;tkdn",
         "Rumah pompa;Puli besi cor", "Pengecoran besi kelabu untuk komponen pompa dan mesin pertanian, "
         "dilengkapi mesin bubut sendiri."),
        ("Sumber Teknik", "stamping;welding", "steel-plate", "", "Bracket karoseri",
         "Komponen plat pres untuk karoseri dan bracket kendaraan."),
        ("Bahari Cor", "cast-brass-bronze;turning", "bronze;brass", "sni",
         "Baling-baling kapal;Bushing perunggu", "Coran perunggu untuk baling-baling dan perlengkapan kapal "
         "nelayan. Kami juga melayani bubut hasil coran."),
        ("Takaru Presisi", "turning;milling;drilling", "carbon-steel", "",
         "Poros;Flens", "Bengkel bubut dan frais, melayani pesanan suku cadang mesin giling padi."),
        ("Karya Tani Logam", "cast-grey-iron;pattern-making", "grey-iron", "",
         "Mata bajak;Roda traktor", "Komponen alat pertanian: mata bajak, roda besi, dudukan mesin. "
         "Membuat pola kayu sendiri."),
    ],
    "Sentra Logam Ceper": [
        ("Ceper Cor Utama", "cast-ductile-iron;cast-grey-iron", "ductile-iron;grey-iron", "iso-9001;sni",
         "Tutup manhole;Anak timbangan", "Tutup manhole, perlengkapan PDAM dan anak timbangan. "
         "Bisa machining ringan."),
        ("Kuningan Batur", "cast-brass-bronze", "brass;bronze", "", "Kran air;Impeller",
         "Coran kuningan: kran, impeller, ornamen. Kami juga membubut hasil coran."),
        ("Batur Jaya Foundry", "cast-grey-iron;cast-steel", "grey-iron;carbon-steel", "sni;tkdn",
         "Brake block;Grate bar", "Pengecoran besi dan baja cor dengan tanur induksi 500 kg."),
        ("Ngawonggo Logam", "cast-aluminium", "aluminium", "", "Velg cor;Panci",
         "Coran alumunium untuk peralatan rumah tangga dan komponen ringan."),
        ("Mitra Cor Klaten", "cast-ductile-iron;heat-treatment;cnc-machining", "ductile-iron", "iso-9001",
         "Hub roda;Rumah bearing", "Besi cor nodular, perlakuan panas dan permesinan CNC untuk komponen mesin."),
    ],
    "Sentra Logam Waru": [
        ("Presisi Waru", "cnc-machining;turning;milling;heat-treatment", "carbon-steel;alloy-steel",
         "iso-9001;iatf-16949", "Pin piston;Poros gigi", "Permesinan presisi untuk suku cadang otomotif tier dua."),
        ("Galvanis Gedangan", "galvanizing;steel-structure;welding", "carbon-steel", "smk3",
         "Tiang PJU;Rangka baja", "Konstruksi baja dan galvanis celup untuk tiang dan rangka."),
        ("Sidoarjo Stamping", "stamping;deep-drawing;mould-dies", "steel-plate;galvanized-sheet", "iso-9001",
         "Bracket knalpot;Cover", "Pres dan deep drawing plat, membuat dies sendiri."),
        ("Delta Laser", "laser-cutting;bending;sheet-metal", "stainless-steel;steel-plate", "",
         "Panel box;Rak stainless", "Potong laser dan tekuk plat stainless untuk panel dan peralatan dapur."),
        ("Krian Plating", "electroplating;painting", "carbon-steel;brass", "",
         "Krom baut;Nikel fitting", "Pelapisan krom dan nikel, juga pengecatan powder coating."),
    ],
    "Sentra Logam Pasuruan": [
        ("Bangil Cor", "cast-grey-iron;cast-ductile-iron;turning", "grey-iron;ductile-iron", "sni",
         "Katup air;Flens pipa", "Pengecoran dan bubut katup serta flens pipa untuk PDAM."),
        ("Beji Teknik", "forging;heat-treatment", "carbon-steel;alloy-steel", "",
         "Mata cangkul;Kunci pas", "Penempaan dan sepuh komponen baja."),
        ("Pandaan Fabrikasi", "welding;steel-structure;painting", "carbon-steel", "smk3",
         "Kanopi baja;Tangki", "Fabrikasi konstruksi baja, tangki dan kanopi untuk pabrik."),
    ],
}

LEGAL_FORMS = [LegalForm.CV, LegalForm.UD, LegalForm.PT, LegalForm.CV, LegalForm.UD]
MACHINES = {
    "cast": ("Tanur induksi", "500 kg per peleburan"),
    "turning": ("Mesin bubut", "diameter 300 mm"),
    "cnc-machining": ("CNC lathe", "diameter 250 mm"),
    "milling": ("Mesin frais", "meja 1.200 mm"),
    "stamping": ("Mesin pres", "150 ton"),
    "welding": ("Mesin las MIG", "400 A"),
    "laser-cutting": ("Fiber laser", "plat 3.000 × 1.500 mm"),
    "galvanizing": ("Bak galvanis celup", "panjang 7 m"),
}

OWNERS = ["Darsono", "Warsito", "Suparmi", "Sugiyo", "Hendra Gunawan", "Mulyono", "Sri Wahyuni", "Bambang",
          "Slamet Riyadi", "Endang", "Agus Salim", "Tri Handayani", "Joko Purnomo", "Wahyudi", "Siti Aminah"]


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    note: str


def _user(email: str, name: str, role: str, **fields) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=settings.DEMO_PASSWORD, name=name, role=role,
                                        **fields)
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def _totp(user: User) -> None:
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        from allauth.mfa.totp.internal.auth import TOTP

        TOTP.activate(user, DEMO_TOTP_SECRET)


def _ikm_rows():
    """Sixty IKMs: each cluster's shops, repeated with numbered variants, deterministic."""
    rng = random.Random(2026)
    rows = []
    cluster_names = list(PROFILES)
    index = 0
    while len(rows) < 60:
        for cluster in cluster_names:
            for stem, processes, materials, certs, products, description in PROFILES[cluster]:
                if len(rows) >= 60:
                    break
                round_no = index // 18
                name = stem if round_no == 0 else f"{stem} {['II', 'III', 'IV'][min(round_no - 1, 2)]}"
                employees = rng.choice([6, 9, 12, 18, 25, 35, 45, 60, 80, 120])
                rows.append({
                    "ref": f"DEMO-{cluster.split()[-1][:3].upper()}-{index + 1:03d}",
                    "name": name, "cluster": cluster, "processes": processes.split(";"),
                    "materials": materials.split(";"), "certifications": [c for c in certs.split(";") if c],
                    "products": products.split(";"), "description": description,
                    "employees": employees,
                    "capacity": Decimal(str(round(employees * rng.uniform(0.2, 0.8), 1))),
                    "legal_form": LEGAL_FORMS[index % len(LEGAL_FORMS)],
                    "owner_name": OWNERS[index % len(OWNERS)],
                    "verified": rng.random() < 0.7,
                    "year": rng.randint(1975, 2020),
                })
                index += 1
    return rows


KOPERASI_NAME = "Koperasi Batur Jaya"


def _demo_koperasi(dinas: User, ceper: Sentra) -> None:
    """The koperasi of Batur, Ceper, selling for some of the demo foundries there (once)."""
    from .enums import GroupKind
    from .groups import group_create

    if IkmProfile.objects.filter(name=KOPERASI_NAME, group_kind=GroupKind.KOPERASI).exists():
        return
    members = list(IkmProfile.objects.filter(ref__startswith="DEMO-", sentra=ceper, group_kind=GroupKind.SINGLE)
                   .order_by("ref")[:4])
    if members:
        group_create(by=dinas, name=KOPERASI_NAME, kind=GroupKind.KOPERASI, kabupaten=ceper.kabupaten,
                     members=members, owner_name="Pengurus Koperasi Batur Jaya",
                     description="Koperasi pengecoran logam Batur, Ceper: menerima pesanan atas nama "
                                 "anggota dan membagi pekerjaan di antara mereka.")


@transaction.atomic
def seed_demo() -> list[DemoLogin]:
    """Create the demo sentra, buyers, sixty IKMs and one login per role; a second run changes nothing."""
    kabupaten = {k.name: k for k in Kabupaten.objects.all()}
    sentra = {}
    for name, kab, description in SENTRA:
        sentra[name], _ = Sentra.objects.get_or_create(
            name=name, defaults={"kabupaten": kabupaten[kab], "description": description})
    buyers = {}
    for name, buyer_type, sector, kab in BUYERS:
        buyers[name], _ = BuyerOrganisation.objects.get_or_create(
            name=name, defaults={"type": buyer_type, "sector": sector, "kabupaten": kabupaten.get(kab)})
    processes = {p.code: p for p in Process.objects.all()}
    materials = {m.code: m for m in Material.objects.all()}
    certifications = {c.code: c for c in Certification.objects.all()}

    tegal = kabupaten["Kabupaten Tegal"]
    owner = _user("ikm@demo.ikmportal.id", "Darsono", Role.IKM_OWNER, phone="+6281234567801")
    buyer = _user("buyer@demo.ikmportal.id", "Rina Kusuma", Role.BUYER_STAFF,
                  buyer_organisation=buyers["PT Kereta Api Indonesia (Persero)"])
    dinas = _user("dinas@demo.ikmportal.id", "Budi Santoso", Role.DINAS_STAFF, scope_province=tegal.province)
    admin = _user("admin@demo.ikmportal.id", "Admin ikmportal", Role.ADMIN, is_staff=True, is_superuser=True)
    for user in (dinas, admin):
        _totp(user)

    created = []
    for number, row in enumerate(_ikm_rows()):
        if IkmProfile.objects.filter(ref=row["ref"]).exists():
            continue
        cluster = sentra[row["cluster"]]
        ikm = IkmProfile.objects.create(
            ref=row["ref"], owner=owner if number == 0 else None, legal_form=row["legal_form"],
            name=row["name"], owner_name=row["owner_name"], phone=f"+628123456{7800 + number:04d}",
            email=f"{row['ref'].lower()}@example.id", kabupaten=cluster.kabupaten, sentra=cluster,
            address=f"{cluster.name}, {cluster.kabupaten.name}", year_founded=row["year"],
            employees=row["employees"], capacity_tons_month=row["capacity"],
            business_size=BusinessSize.MIKRO if row["employees"] < 5 else
            BusinessSize.KECIL if row["employees"] < 20 else BusinessSize.MENENGAH,
            description=row["description"], nib=f"91200{number:08d}",
            verification_status=VerificationStatus.VERIFIED if row["verified"] else VerificationStatus.PENDING,
            verified_at=timezone.now() if row["verified"] else None,
        )
        created.append(ikm.pk)
        ikm.processes.set([processes[c] for c in row["processes"]])
        ikm.materials.set([materials[c] for c in row["materials"]])
        IkmCertification.objects.bulk_create([
            IkmCertification(ikm=ikm, certification=certifications[c], number=f"{c.upper()}-{number:04d}")
            for c in row["certifications"]])
        Product.objects.bulk_create([Product(ikm=ikm, name=name) for name in row["products"]])
        machine_keys = [key for key in MACHINES if any(p.startswith(key) for p in row["processes"])]
        Machine.objects.bulk_create([
            Machine(ikm=ikm, machine_type=MACHINES[key][0], capacity=MACHINES[key][1], count=1 + number % 3)
            for key in machine_keys])

    from .services import ikm_changed

    ikm_changed(created)
    _demo_koperasi(dinas, sentra["Sentra Logam Ceper"])
    note_2fa = f"TOTP secret {DEMO_TOTP_SECRET}"
    return [
        DemoLogin("IKM owner", owner.email, "CV Logam Jaya, LIK Takaru"),
        DemoLogin("Buyer staff", buyer.email, "PT Kereta Api Indonesia"),
        DemoLogin("Dinas staff", dinas.email, f"Provinsi {tegal.province.name}; {note_2fa}"),
        DemoLogin("Admin", admin.email, note_2fa),
    ]
