import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from profiles.importing.batches import ikm_file_preview
from profiles.importing.ikm import ikm_rows_commit
from profiles.models import IkmProfile, ImportBatch
from tests.factories import DinasStaffFactory

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"
HEADER = ("ref,name,owner,phone,email,kabupaten,processes,materials,certifications,employees,"
          "capacity_tons_month,description")


def _csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def _xlsx_from_csv(data: bytes) -> bytes:
    import csv

    workbook = Workbook()
    sheet = workbook.active
    for row in csv.reader(io.StringIO(data.decode())):
        sheet.append([int(v) if v.isdigit() and not v.startswith("0") else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


GOOD = "T-1,CV Logam Jaya,Darsono,0812-3456-7801,lj@example.id,Kab. Tegal,cast-grey-iron;turning,grey-iron,iso-9001,45,30,Coran besi"
BAD_KAB = "T-2,UD Sumber,Warsito,081234567802,su@example.id,Kabupaten Atlantis,stamping,steel-plate,,12,4,Pres"
BAD_CODE = "T-3,UD Las,Warsito,081234567803,las@example.id,Kabupaten Tegal,ngelas,steel-plate,,12,4,Las"
BAD_PHONE = "T-4,UD Telp,Warsito,12345,tel@example.id,Kabupaten Tegal,welding,steel-plate,,12,4,Las"


@pytest.mark.django_db
def test_sample_file_imports_cleanly():
    call_command("import_ikm", str(SAMPLES / "ikm.csv"))

    logam_jaya = IkmProfile.objects.get(ref="TGL-001")
    assert IkmProfile.objects.count() == 6
    assert logam_jaya.phone == "+6281234567801"
    assert logam_jaya.kabupaten.name == "Kabupaten Tegal"
    assert logam_jaya.sentra.name == "LIK Takaru"
    assert sorted(logam_jaya.processes.values_list("code", flat=True)) == ["cast-grey-iron", "painting", "turning"]
    assert IkmProfile.objects.get(ref="KLT-001").kabupaten.name == "Kabupaten Klaten"  # "Kab. Klaten"


@pytest.mark.django_db
def test_importing_the_same_file_twice_updates_and_never_duplicates():
    call_command("import_ikm", str(SAMPLES / "ikm.csv"))
    call_command("import_ikm", str(SAMPLES / "ikm.csv"))

    assert IkmProfile.objects.count() == 6
    assert IkmProfile.objects.get(ref="SDA-001").processes.count() == 4


@pytest.mark.django_db
def test_bad_rows_are_reported_with_row_number_and_reason_and_nothing_is_written(tmp_path, capsys):
    path = tmp_path / "ikm.csv"
    path.write_bytes(_csv(GOOD, BAD_KAB, BAD_CODE, BAD_PHONE))

    with pytest.raises(CommandError) as error:
        call_command("import_ikm", str(path))

    stderr = capsys.readouterr().err
    assert error.value.returncode == 1
    assert "row 3 (T-2)" in stderr and "Kabupaten Atlantis" in stderr
    assert "row 4 (T-3)" in stderr and "ngelas" in stderr
    assert "row 5 (T-4)" in stderr and "12345" in stderr
    assert IkmProfile.objects.count() == 0


@pytest.mark.django_db
def test_skip_invalid_writes_only_the_valid_rows(tmp_path):
    path = tmp_path / "ikm.csv"
    path.write_bytes(_csv(GOOD, BAD_KAB))

    call_command("import_ikm", str(path), "--skip-invalid")

    assert list(IkmProfile.objects.values_list("ref", flat=True)) == ["T-1"]


@pytest.mark.django_db
def test_duplicate_ref_in_one_file_is_an_error():
    preview = ikm_file_preview(data=_csv(GOOD, GOOD.replace("Darsono", "Lain")), filename="x.csv")

    assert [row.number for row in preview.invalid_rows] == [3]
    assert "T-1" in preview.invalid_rows[0].errors[0]
    assert "2" in preview.invalid_rows[0].errors[0]  # names the row it duplicates


@pytest.mark.django_db
def test_missing_columns_are_a_file_error():
    preview = ikm_file_preview(data=b"ref,name\nT-1,CV A\n", filename="x.csv")

    assert preview.file_errors and "kabupaten" in preview.file_errors[0]


@pytest.mark.django_db
def test_xlsx_and_csv_of_the_same_rows_give_the_same_result():
    data = (SAMPLES / "ikm.csv").read_bytes()
    ikm_rows_commit(ikm_file_preview(data=data, filename="ikm.csv"))
    from_csv = _snapshot()
    IkmProfile.objects.all().delete()

    ikm_rows_commit(ikm_file_preview(data=_xlsx_from_csv(data), filename="ikm.xlsx"))

    assert _snapshot() == from_csv


def _snapshot():
    return sorted(
        (i.ref, i.name, i.phone, i.email, i.kabupaten_id, i.employees, str(i.capacity_tons_month),
         tuple(sorted(i.processes.values_list("code", flat=True))),
         tuple(sorted(i.certifications.values_list("certification__code", flat=True))))
        for i in IkmProfile.objects.all()
    )


@pytest.mark.django_db
def test_garbage_file_is_refused_with_a_message():
    preview = ikm_file_preview(data=b"PK\x03\x04 not really a workbook", filename="ikm.xlsx")

    assert preview.file_errors and "XLSX" in preview.file_errors[0]


@pytest.mark.django_db
def test_dinas_web_import_previews_errors_then_commits_valid_rows(client):
    dinas = DinasStaffFactory(scope_kabupaten=None)  # national scope
    client.force_login(dinas)
    upload = SimpleUploadedFile("ikm.csv", _csv(GOOD, BAD_KAB), content_type="text/csv")

    uploaded = client.post("/dinas/import/", {"file": upload})
    preview = client.get(uploaded.url).content.decode()
    assert IkmProfile.objects.count() == 0
    client.post(uploaded.url + "decide/", {"decision": "commit"})

    assert 'data-row="3"' in preview and "Kabupaten Atlantis" in preview
    assert list(IkmProfile.objects.values_list("ref", flat=True)) == ["T-1"]
    assert ImportBatch.objects.get().status == ImportBatch.Status.COMMITTED


@pytest.mark.django_db
def test_dinas_web_import_cancel_writes_nothing(client):
    client.force_login(DinasStaffFactory(scope_kabupaten=None))
    uploaded = client.post("/dinas/import/", {"file": SimpleUploadedFile("ikm.csv", _csv(GOOD))})

    client.post(uploaded.url + "decide/", {"decision": "cancel"})

    assert IkmProfile.objects.count() == 0
    assert ImportBatch.objects.get().status == ImportBatch.Status.CANCELLED


@pytest.mark.django_db
def test_dinas_import_refuses_rows_outside_their_region(client, dinas_tegal):
    client.force_login(dinas_tegal)
    klaten = GOOD.replace("Kab. Tegal", "Kabupaten Klaten")

    uploaded = client.post("/dinas/import/", {"file": SimpleUploadedFile("ikm.csv", _csv(klaten))})

    assert "outside your region" in client.get(uploaded.url).content.decode() or \
        "di luar wilayah" in client.get(uploaded.url).content.decode()


@pytest.mark.django_db
def test_another_dinas_user_cannot_open_or_commit_my_import(client, dinas_tegal):
    client.force_login(dinas_tegal)
    uploaded = client.post("/dinas/import/", {"file": SimpleUploadedFile("ikm.csv", _csv(GOOD))})
    client.force_login(DinasStaffFactory())

    opened = client.get(uploaded.url)
    committed = client.post(uploaded.url + "decide/", {"decision": "commit"})

    assert opened.status_code == 404
    assert committed.status_code == 404
    assert IkmProfile.objects.count() == 0


@pytest.mark.django_db
def test_a_big_import_refreshes_the_planner_statistics(monkeypatch, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.utils import timezone

    import profiles.importing.ikm

    monkeypatch.setattr(profiles.importing.ikm, "ANALYZE_FROM", 2)
    rows = [GOOD.replace("T-1", f"T-{n}").replace("lj@", f"lj{n}@").replace("7801", f"78{n:02d}") for n in range(1, 4)]
    started = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        ikm_rows_commit(ikm_file_preview(data=_csv(*rows), filename="ikm.csv"))

    assert IkmProfile.objects.count() == 3
    if connection.vendor == "postgresql":  # the embedded SQLite demo has no planner statistics to refresh
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute("SELECT last_analyze FROM pg_stat_user_tables WHERE relname = %s",
                           [IkmProfile._meta.db_table])
            (analyzed,) = cursor.fetchone()
        assert analyzed is not None and analyzed >= started
