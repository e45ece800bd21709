"""Benchmark: validate and import a generated IKM file of N rows, then import it again (updates).

Everything is rolled back at the end, so it can run against a real database.
"""

import random
import time

from django.core.management.base import BaseCommand
from django.db import transaction

from profiles.importing.batches import ikm_file_preview
from profiles.importing.ikm import REQUIRED_COLUMNS, ikm_rows_commit
from profiles.models import Kabupaten
from profiles.reference import taxonomy


class _Rollback(Exception):
    pass


def generate_ikm_csv(rows: int, *, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    kabupaten = list(Kabupaten.objects.values_list("name", flat=True))
    processes = [p.code for p in taxonomy.PROCESSES]
    materials = [m.code for m in taxonomy.MATERIALS]
    certifications = [c.code for c in taxonomy.CERTIFICATIONS]
    lines = [",".join([*REQUIRED_COLUMNS, "products"])]
    for i in range(rows):
        lines.append(",".join([
            f"BENCH-{i:06d}", f"CV Logam {i}", "Pemilik", f"08{rng.randint(1_000_000_000, 9_999_999_999)}",
            f"ikm{i}@example.id", rng.choice(kabupaten), ";".join(rng.sample(processes, rng.randint(1, 4))),
            ";".join(rng.sample(materials, rng.randint(1, 2))), ";".join(rng.sample(certifications, rng.randint(0, 2))),
            str(rng.randint(3, 200)), str(rng.randint(1, 80)), '"Pengecoran dan bubut, melayani pesanan."',
            ";".join(f"Produk {i}-{k}" for k in range(rng.randint(0, 2))),
        ]))
    return ("\n".join(lines) + "\n").encode()


class Command(BaseCommand):
    help = "Time validating and importing a generated IKM file (target: 10,000 rows in under a minute)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=10_000)

    def handle(self, *args, rows: int, **options):
        data = generate_ikm_csv(rows)
        changed = generate_ikm_csv(rows, seed=8)  # same refs, other values
        self.stdout.write(f"generated {rows} rows, {len(data) / 1e6:.1f} MB CSV")
        try:
            with transaction.atomic():
                for label, content in (("first import (creates)", data), ("same file again", data),
                                    ("every row changed", changed)):
                    started = time.perf_counter()
                    preview = ikm_file_preview(data=content, filename="bench.csv")
                    validated = time.perf_counter()
                    result = ikm_rows_commit(preview)
                    done = time.perf_counter()
                    self.stdout.write(
                        f"{label}: validate {validated - started:.2f} s, write {done - validated:.2f} s, "
                        f"total {done - started:.2f} s (target < 60 s) — created {result.created}, "
                        f"updated {result.updated}, unchanged {result.unchanged}, invalid {len(preview.invalid_rows)}")
                raise _Rollback
        except _Rollback:
            self.stdout.write("rolled back: the database is as it was")
