from profiles.importing.batches import ikm_file_preview
from profiles.importing.command import ImportCommand
from profiles.importing.ikm import ikm_rows_commit


class Command(ImportCommand):
    help = ("Import IKMs from a CSV or XLSX file (DESIGN.md columns). Any bad row: errors on stderr, "
            "exit status 1 and nothing written, unless --skip-invalid.")
    preview = staticmethod(ikm_file_preview)
    commit = staticmethod(ikm_rows_commit)
