"""Recompute every open need's suggestions now, in this process (scripts and benchmarks)."""

import time

from django.core.management.base import BaseCommand, CommandParser

from matchmaking.recompute import DEFAULT_CHUNK_NEEDS, suggestions_recompute_all


class Command(BaseCommand):
    help = "Recompute all suggestions synchronously (what the nightly worker run does, without the worker)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--chunk", type=int, default=DEFAULT_CHUNK_NEEDS,
                            help="needs scored and stored per transaction (default %(default)s)")

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        report = suggestions_recompute_all(chunk=options["chunk"])
        self.stdout.write(
            f"{report.needs} open needs, {report.suggestions} suggestions stored in "
            f"{time.perf_counter() - started:.2f} s (load {report.load_seconds:.2f}, score "
            f"{report.score_seconds:.2f}, store {report.store_seconds:.2f})"
        )
