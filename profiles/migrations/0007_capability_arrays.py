"""The directory's capability arrays on IkmProfile (process, process group and material ids), filled from
the relations, with GIN indexes on PostgreSQL (SQLite, the embedded demo, keeps its joins)."""

from collections import defaultdict

from django.db import migrations

import profiles.fields

FILL_POSTGRES = """
UPDATE profiles_ikmprofile AS t SET
  process_ids = COALESCE((SELECT array_agg(ip.process_id ORDER BY ip.process_id)
                          FROM profiles_ikmprofile_processes ip WHERE ip.ikmprofile_id = t.id), '{}'),
  process_group_ids = COALESCE((SELECT array_agg(DISTINCT p.group_id ORDER BY p.group_id)
                                FROM profiles_ikmprofile_processes ip JOIN profiles_process p ON p.id = ip.process_id
                                WHERE ip.ikmprofile_id = t.id), '{}'),
  material_ids = COALESCE((SELECT array_agg(im.material_id ORDER BY im.material_id)
                           FROM profiles_ikmprofile_materials im WHERE im.ikmprofile_id = t.id), '{}')
"""
INDEXES = ["process_ids", "process_group_ids", "material_ids"]


def fill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FILL_POSTGRES)
        for column in INDEXES:
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS ikm_{column}_gin ON profiles_ikmprofile "
                                  f"USING gin ({column})")
        return
    IkmProfile = apps.get_model("profiles", "IkmProfile")
    processes, groups, materials = defaultdict(set), defaultdict(set), defaultdict(set)
    for ikm_id, process_id, group_id in IkmProfile.processes.through.objects.values_list(
            "ikmprofile_id", "process_id", "process__group_id"):
        processes[ikm_id].add(process_id)
        groups[ikm_id].add(group_id)
    for ikm_id, material_id in IkmProfile.materials.through.objects.values_list("ikmprofile_id", "material_id"):
        materials[ikm_id].add(material_id)
    rows = [IkmProfile(pk=pk, process_ids=sorted(processes[pk]), process_group_ids=sorted(groups[pk]),
                       material_ids=sorted(materials[pk]))
            for pk in IkmProfile.objects.values_list("pk", flat=True)]
    IkmProfile.objects.bulk_update(rows, ["process_ids", "process_group_ids", "material_ids"], batch_size=500)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for column in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS ikm_{column}_gin")


class Migration(migrations.Migration):

    dependencies = [
        ('profiles', '0006_supplier_groups'),
    ]

    operations = [
        migrations.AddField(
            model_name='ikmprofile',
            name='material_ids',
            field=profiles.fields.IdArrayField(blank=True, editable=False, size=None),
        ),
        migrations.AddField(
            model_name='ikmprofile',
            name='process_group_ids',
            field=profiles.fields.IdArrayField(blank=True, editable=False, size=None),
        ),
        migrations.AddField(
            model_name='ikmprofile',
            name='process_ids',
            field=profiles.fields.IdArrayField(blank=True, editable=False, size=None),
        ),
        migrations.RunPython(fill, drop_indexes),
    ]
