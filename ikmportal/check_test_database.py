"""`make test`'s first step: is DATABASE_URL a PostgreSQL server that answers? Exit 0 if so (creating the
database it names when it is missing, for `makemigrations --check`'s history check); else say why.

The suite proves PostgreSQL-only behaviour (full-text search with the Indonesian configuration, array
filters, the GIN index, ranked pagination) and runs a real Celery worker against the same database, so it
needs PostgreSQL; without this check a run on SQLite, or with the server down, fails test by test with
errors that do not name the cause.
"""

import os
import sys

import environ
import psycopg
import psycopg.sql

START_HINT = (
    "start it with: pg_ctlcluster --skip-systemctl-redirect "
    "$(pg_lsclusters -h | awk 'NR==1{print $1}') main start"
)


def problem(url: str) -> str | None:
    """Why `url` cannot serve the test run, or None when it can."""
    config = environ.Env.db_url_config(url)
    if "postgresql" not in config["ENGINE"]:
        return f"DATABASE_URL={url} is not PostgreSQL: the tests need PostgreSQL (see the README)"
    where = f"{config['HOST'] or 'the local socket'}:{config['PORT'] or 5432}"
    try:
        server = psycopg.connect(
            host=config["HOST"] or None,
            port=config["PORT"] or None,
            user=config["USER"] or None,
            password=config["PASSWORD"] or None,
            dbname="postgres",
            connect_timeout=5,
            autocommit=True,
        )
    except psycopg.Error as error:
        return f"PostgreSQL at {where} did not let us in ({_first_line(error)}); if it is down, {START_HINT}"
    # pytest-django creates its own test database; the one named is only read by makemigrations --check.
    name = config["NAME"]
    try:
        with server:
            if name and not server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                server.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))
    except psycopg.Error as error:
        return f"PostgreSQL at {where} answers, but the database {name} could not be made ({_first_line(error)})"
    return None


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        print("make test: DATABASE_URL is not set (the Makefile sets a default)", file=sys.stderr)
        return 2
    reason = problem(url)
    if reason:
        print(f"make test: {reason}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
