"""Writing the reference data (regions, KBLI, taxonomy) into the database; rows are matched by code.

Used by the data migration (with the historical app registry) and by tests whose database was
flushed (transactional browser tests).
"""

from . import regions, taxonomy


def load_reference_data(apps) -> None:
    Province = apps.get_model("profiles", "Province")
    Kabupaten = apps.get_model("profiles", "Kabupaten")
    KbliCode = apps.get_model("profiles", "KbliCode")
    ProcessGroup = apps.get_model("profiles", "ProcessGroup")
    Process = apps.get_model("profiles", "Process")
    Material = apps.get_model("profiles", "Material")
    Certification = apps.get_model("profiles", "Certification")

    for p in regions.load_provinces():
        Province.objects.update_or_create(
            code=p.code, defaults={"name": p.name, "latitude": p.latitude, "longitude": p.longitude})
    for k in regions.load_kabupaten():
        Kabupaten.objects.update_or_create(code=k.code, defaults={
            "province_id": k.province_code, "name": k.name, "name_key": k.name_key, "kind": k.kind,
            "latitude": k.latitude, "longitude": k.longitude})
    kbli = {}
    for k in taxonomy.KBLI_CODES:
        kbli[k.code], _ = KbliCode.objects.update_or_create(
            code=k.code, version=k.version, defaults={"title": k.title})
    groups = {}
    for position, g in enumerate(taxonomy.PROCESS_GROUPS):
        groups[g.code], _ = ProcessGroup.objects.update_or_create(
            code=g.code, defaults={"name_id": g.name_id, "name_en": g.name_en, "position": position})
        groups[g.code].kbli.set([kbli[c] for c in g.kbli_codes])
    for position, p in enumerate(taxonomy.PROCESSES):
        Process.objects.update_or_create(code=p.code, defaults={
            "group": groups[p.group], "name_id": p.name_id, "name_en": p.name_en,
            "keywords": ", ".join(p.keywords)[:300], "position": position})
    for position, m in enumerate(taxonomy.MATERIALS):
        Material.objects.update_or_create(
            code=m.code, defaults={"name_id": m.name_id, "name_en": m.name_en, "position": position})
    for position, c in enumerate(taxonomy.CERTIFICATIONS):
        Certification.objects.update_or_create(code=c.code, defaults={
            "name_id": c.name_id, "name_en": c.name_en, "description": c.description[:300],
            "position": position})
