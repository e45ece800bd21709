"""`make test` stops at once, naming the cause, when it has no PostgreSQL to run against."""

import socket

import psycopg
from django.db import connection

from ikmportal.check_test_database import problem


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_sqlite_is_refused_with_the_reason():
    assert "is not PostgreSQL" in problem("sqlite:///var/ikmportal.sqlite3")


def test_a_server_that_does_not_answer_is_named_with_how_to_start_it():
    reason = problem(f"postgres://postgres@127.0.0.1:{_closed_port()}/ikmportal")
    assert "127.0.0.1:" in reason and "did not let us in" in reason and "pg_ctlcluster" in reason


def test_the_server_this_run_uses_passes(db):
    settings = connection.settings_dict
    url = f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"
    assert problem(url) is None


def test_a_missing_database_is_created_on_the_server(db):
    settings = connection.settings_dict
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    name = "ikmportal_check_created"
    # DROP DATABASE cannot run inside the test's transaction: a connection of its own, in autocommit.
    with psycopg.connect(host=host, port=port, user=settings["USER"], dbname="postgres", autocommit=True) as server:
        server.execute(f"DROP DATABASE IF EXISTS {name}")
        try:
            assert problem(f"postgres://{settings['USER']}@{host}:{port}/{name}") is None
            assert server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() == (1,)
        finally:
            server.execute(f"DROP DATABASE IF EXISTS {name}")
