"""The normalised search document is kept on SQLite only (the embedded demo searches it with LIKE).

PostgreSQL searches the tsvector built from it and never read the document back, but kept it in every
profile's row, a third of the row: the ranking reads the row of every match (its vector, sort keys and
filter columns), so it read a third more pages than it needed (20,000 profiles: 3,699 → 2,366 pages; the
directory's ranking queries 2.2–2.9 → 1.9–2.5 ms). The documents are emptied and their trigram index, which
no query used, dropped. Going back restores the index; the documents come back as profiles change (nothing
on PostgreSQL reads them). SQLite keeps its documents as they are."""

from django.db import migrations

from ikmportal.migration_operations import RunSQLOnPostgreSQL

FORWARD = [
    "DROP INDEX IF EXISTS ikm_search_document_trgm",
    "UPDATE profiles_ikmprofile SET search_document = '' WHERE search_document <> ''",
]
BACKWARD = [
    "CREATE INDEX IF NOT EXISTS ikm_search_document_trgm ON profiles_ikmprofile "
    "USING gin (search_document gin_trgm_ops)",
]


class Migration(migrations.Migration):
    dependencies = [("profiles", "0010_kabupaten_code_within_province")]
    operations = [RunSQLOnPostgreSQL(FORWARD, BACKWARD)]
