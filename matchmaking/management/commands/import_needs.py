from matchmaking.importing import need_file_preview, need_rows_commit
from profiles.importing.command import ImportCommand


class Command(ImportCommand):
    help = ("Import buyer needs from a CSV or XLSX file (DESIGN.md columns). Any bad row: errors on stderr, "
            "exit status 1 and nothing written, unless --skip-invalid. Buyers named in the file are created.")
    preview = staticmethod(need_file_preview)
    commit = staticmethod(need_rows_commit)
