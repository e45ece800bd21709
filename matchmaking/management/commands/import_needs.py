from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from matchmaking.importing import need_file_preview, need_rows_commit


class Command(BaseCommand):
    help = ("Import buyer needs from a CSV or XLSX file (DESIGN.md columns). Any bad row: errors on stderr, "
            "exit status 1 and nothing written, unless --skip-invalid.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--skip-invalid", action="store_true", help="Import the valid rows anyway.")

    def handle(self, *args, file: Path, skip_invalid: bool, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        preview = need_file_preview(data=file.read_bytes(), filename=file.name)
        for message in preview.file_errors:
            self.stderr.write(f"{file.name}: {message}")
        for row in preview.invalid_rows:
            self.stderr.write(f"row {row.number} ({row.ref or '-'}): {'; '.join(row.errors)}")
        if preview.file_errors or (preview.invalid_rows and not skip_invalid):
            raise CommandError("nothing imported: fix the rows above or use --skip-invalid", returncode=1)
        result = need_rows_commit(preview, skip_invalid=skip_invalid)
        self.stdout.write(f"created {result.created}, updated {result.updated}, skipped {result.skipped}, "
                          f"new buyers {result.buyers_created}")
