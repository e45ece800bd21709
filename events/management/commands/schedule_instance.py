"""`manage.py schedule_instance IN.json [--out OUT.json] [--seconds S]`: the scheduler on a file, no database.

Thin on purpose: read and check the file, call the pure solver, write the DESIGN.md output.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from events.scheduling.instance import Instance, InstanceError, instance_from_dict, schedule_to_dict
from events.scheduling.solver import solve


def read_instance(path: Path) -> Instance:
    """Load an instance file; every way it can be wrong becomes a CommandError naming the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise CommandError(f"{path}: no such file") from error
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"{path}: cannot read the file ({error})") from error
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise CommandError(
            f"{path}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from error
    try:
        return instance_from_dict(data)
    except InstanceError as error:
        raise CommandError(f"{path}: {error}") from error


class Command(BaseCommand):
    help = (
        "Schedule the meetings of an event instance file (DESIGN.md format) and write the schedule as JSON."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("instance", type=Path, help="instance JSON file")
        parser.add_argument("--out", type=Path, help="write the schedule here instead of standard output")
        parser.add_argument(
            "--seconds", type=float, default=10.0, help="time budget for the solver (default 10)"
        )
        parser.add_argument("--seed", type=int, default=0, help="random seed; the same seed repeats a result")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["seconds"] <= 0:
            raise CommandError("--seconds must be positive")
        instance = read_instance(options["instance"])
        schedule = solve(instance, seconds=options["seconds"], seed=options["seed"])
        output = json.dumps(schedule_to_dict(schedule), ensure_ascii=False, indent=1)
        out: Path | None = options["out"]
        if out is None:
            self.stdout.write(output)
            return
        try:
            out.write_text(output + "\n", encoding="utf-8")
        except OSError as error:
            raise CommandError(f"{out}: cannot write the schedule ({error})") from error
        self.stdout.write(
            f"{len(schedule.meetings)} of {len(instance.requests)} meetings scheduled, weight {schedule.objective:g}"
            f" (upper bound {schedule.upper_bound:g}), {schedule.breaks} breaks, {schedule.idle} idle slots,"
            f" {schedule.seconds:.1f} s -> {out}"
        )
