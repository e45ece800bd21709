"""PostgreSQL-only search indexes for the supplier directory: GIN on the tsvector, trigram GIN on the
normalised document and the name. SQLite (the embedded demo) skips them and searches plainly."""

from django.db import migrations

from ikmportal.migration_operations import RunSQLOnPostgreSQL

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS ikm_search_vector_gin ON profiles_ikmprofile USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS ikm_search_document_trgm ON profiles_ikmprofile "
    "USING gin (search_document gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS ikm_name_trgm ON profiles_ikmprofile USING gin (name gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS ikm_search_vector_gin",
    "DROP INDEX IF EXISTS ikm_search_document_trgm",
    "DROP INDEX IF EXISTS ikm_name_trgm",
]


class Migration(migrations.Migration):
    dependencies = [("profiles", "0003_search_columns")]
    operations = [RunSQLOnPostgreSQL(FORWARD, BACKWARD)]
