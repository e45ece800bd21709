"""`make test` stops at once, naming the cause, when it has no PostgreSQL to run against."""

import socket

import psycopg
from django.db import connection

from ikmportal.check_test_database import problem


def _server() -> tuple[str, int, str]:
    """(host, port, user) of the PostgreSQL server this test run uses."""
    settings = connection.settings_dict
    return settings["HOST"] or "127.0.0.1", int(settings["PORT"] or 5432), settings["USER"]


def _url(name: str, port: int | None = None) -> str:
    host, own_port, user = _server()
    return f"postgres://{user}@{host}:{port or own_port}/{name}"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_sqlite_is_refused_with_the_reason():
    assert "is not PostgreSQL" in problem("sqlite:///var/ikmportal.sqlite3")


def test_a_server_that_does_not_answer_is_named_with_how_to_start_it():
    reason = problem(_url("ikmportal", port=_closed_port()))
    assert "127.0.0.1:" in reason and "did not let us in" in reason and "pg_ctlcluster" in reason


def test_the_server_this_run_uses_passes(db):
    assert problem(_url(connection.settings_dict["NAME"])) is None


def test_a_missing_database_is_created_on_the_server(db):
    host, port, user = _server()
    name = "ikmportal_check_created"
    # DROP DATABASE cannot run inside the test's transaction: a connection of its own, in autocommit.
    with psycopg.connect(host=host, port=port, user=user, dbname="postgres", autocommit=True) as server:
        server.execute(f"DROP DATABASE IF EXISTS {name}")
        try:
            assert problem(_url(name)) is None
            assert server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() == (1,)
        finally:
            server.execute(f"DROP DATABASE IF EXISTS {name}")
