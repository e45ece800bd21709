"""Model fields that PostgreSQL and the embedded SQLite demo both store."""

import json

from django.contrib.postgres.fields import ArrayField
from django.db import models


class IdArrayField(ArrayField):
    """A list of integer ids: an `integer[]` on PostgreSQL (GIN-indexable, `&&`/`@>` lookups), JSON text
    on SQLite, where nothing filters by it (the demo keeps its joins)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("base_field", models.IntegerField())
        kwargs.setdefault("default", list)
        super().__init__(**kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("base_field", None)
        if kwargs.get("default") is list:
            kwargs.pop("default")
        return name, path, args, kwargs

    def db_type(self, connection):
        return super().db_type(connection) if connection.vendor == "postgresql" else "text"

    def cast_db_type(self, connection):
        return super().cast_db_type(connection) if connection.vendor == "postgresql" else "text"

    def get_placeholder(self, value, compiler, connection):
        return super().get_placeholder(value, compiler, connection) if connection.vendor == "postgresql" else "%s"

    def get_db_prep_value(self, value, connection, prepared=False):
        if connection.vendor == "postgresql" or value is None:
            return super().get_db_prep_value(value, connection, prepared)
        return json.dumps([int(v) for v in value])

    def from_db_value(self, value, expression, connection):
        return json.loads(value) if isinstance(value, str) else value
