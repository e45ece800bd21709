"""The shared body of the import commands (`import_ikm`, `import_needs`): preview, report, commit."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class ImportCommand(BaseCommand):
    """Subclasses set `preview(data=..., filename=...)` and `commit(preview, skip_invalid=...)`."""

    preview = None
    commit = None

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--skip-invalid", action="store_true", help="Import the valid rows anyway.")

    def handle(self, *args, file: Path, skip_invalid: bool, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        preview = type(self).preview(data=file.read_bytes(), filename=file.name)
        for message in preview.file_errors:
            self.stderr.write(f"{file.name}: {message}")
        for row in preview.invalid_rows:
            self.stderr.write(f"row {row.number} ({row.ref or '-'}): {'; '.join(row.errors)}")
        if preview.file_errors or (preview.invalid_rows and not skip_invalid):
            raise CommandError("nothing imported: fix the rows above or use --skip-invalid", returncode=1)
        result = type(self).commit(preview, skip_invalid=skip_invalid)
        self.stdout.write(", ".join(f"{name.replace('_', ' ')} {value}" for name, value in vars(result).items()))
