"""`manage.py bench_scheduler`: the scheduler against heaviest-first greedy, on generated and public events.

Generated: 600 IKMs, 80 buyers (1-3 seats), 20 slots, 4,000 requests (must 3 / want 2 / nice 1, some
availability gaps, some morning- or afternoon-only), once with a table for every buyer seat and once with
scarce tables. Public: the twenty B2B events of the constraint-programming literature, with the fewest
breaks exact solvers found (read from that folder's README). Every schedule is checked by the independent
validator. The solver's result depends on its seed (and a little on the clock, as the SAT search stops at the
deadline), so `--seeds N` runs the public events with N seeds in turn and ends with the spread of their
totals, then each event that missed its exact optimum with some seed, with its breaks per seed: the
10 % target must hold whatever the seed. Benchmarks live here, never in the test run.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from events.management.commands.schedule_instance import read_instance
from events.scheduling.annealing import warm_up
from events.scheduling.generate import generate_event
from events.scheduling.greedy import solve_greedy
from events.scheduling.instance import Instance, Schedule
from events.scheduling.solver import solve
from events.scheduling.validate import check_schedule

SCARCE_TABLES = 70
README_ROW = re.compile(r"^\|\s*([\w-]+)\s*\|(?:[^|]*\|){4}\s*(\d+)\s*\|\s*([\d.]+)\s*\|\s*([\d.]+)\s*\|")


def _break_target(exact_total: int) -> int:
    """Most breaks within 10 % of the exact solvers' total."""
    return int(exact_total * 1.1)


@dataclass
class _PublicTotals:
    """The public events with one seed, summed."""

    seed: int
    ours: int = 0
    greedy: int = 0
    exact: int = 0
    complete: int = 0  # events with every meeting scheduled
    count: int = 0
    worst_seconds: float = 0.0
    by_event: dict[str, tuple[int, int | None]] = field(default_factory=dict)  # name -> (ours, exact or None)

    @property
    def meets_target(self) -> bool:
        return self.complete == self.count and self.ours <= _break_target(self.exact)


def exact_breaks(folder: Path) -> dict[str, tuple[int, float]]:
    """Fewest breaks and the faster exact solver's seconds per instance, from the benchmark README."""
    readme = folder / "README.md"
    if not readme.exists():
        return {}
    found = {}
    for line in readme.read_text(encoding="utf-8").splitlines():
        match = README_ROW.match(line)
        if match:
            found[match[1]] = (int(match[2]), min(float(match[3]), float(match[4])))
    return found


class Command(BaseCommand):
    help = "Benchmark the meeting scheduler against heaviest-first greedy on generated and public events."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--b2b-dir",
            type=Path,
            default=Path(settings.BASE_DIR).parent / "shared" / "benchmarks" / "b2b",
            help="folder with the public instances (default ../shared/benchmarks/b2b from the repository)",
        )
        parser.add_argument("--seconds", type=float, default=9.0, help="solver budget per public event (target: 10 s)")
        parser.add_argument(
            "--generated-seconds", type=float, default=5.0, help="solver budget per generated event"
        )
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument(
            "--seeds",
            type=int,
            default=1,
            help="run the public events with this many seeds from --seed on, and print the spread of their totals",
        )
        parser.add_argument("--only", nargs="*", default=None, help="run only these instances (names)")
        parser.add_argument("--skip-generated", action="store_true")
        parser.add_argument("--skip-public", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["seeds"] < 1:
            raise CommandError("--seeds must be 1 or more")
        only = set(options["only"]) if options["only"] else None
        # The break search is compiled once per process (then loaded from numba's disk cache): a worker pays
        # it when it starts, not per event, so it is timed apart here.
        started = time.perf_counter()
        warm_up()
        self.stdout.write(f"break search compiled or loaded from cache in {time.perf_counter() - started:.1f} s")
        self._header()
        if not options["skip_generated"]:
            ample = generate_event(seed=options["seed"])
            scarce = replace(ample, tables=SCARCE_TABLES)
            for name, instance in (
                (f"generated-ample-{ample.tables}t", ample),
                (f"generated-scarce-{SCARCE_TABLES}t", scarce),
            ):
                if only is None or name in only:
                    self._compare(name, instance, options["generated_seconds"], options["seed"], None)
        if options["skip_public"]:
            return
        folder: Path = options["b2b_dir"]
        files = sorted(folder.glob("*.json")) if folder.is_dir() else []
        if not files:
            raise CommandError(f"{folder}: no public instances (*.json) found; use --b2b-dir")
        best_known = exact_breaks(folder)
        runs = [self._public(files, best_known, options["seconds"], seed, only)
                for seed in range(options["seed"], options["seed"] + options["seeds"])]
        if len(runs) > 1:
            self._spread(runs)

    def _public(
        self, files: list[Path], best_known: dict[str, tuple[int, float]], seconds: float, seed: int,
        only: set[str] | None,
    ) -> _PublicTotals:
        """The public events with one seed: a row per solver and event, then the totals (also returned)."""
        totals = _PublicTotals(seed=seed)
        for path in files:
            name = path.stem
            if only is not None and name not in only:
                continue
            instance = read_instance(path)
            exact = best_known.get(name)
            ours, greedy = self._compare(name, instance, seconds, seed, exact)
            totals.ours += ours.breaks
            totals.greedy += greedy.breaks
            totals.exact += exact[0] if exact else 0
            totals.complete += len(ours.meetings) == len(instance.requests)
            totals.count += 1
            totals.worst_seconds = max(totals.worst_seconds, ours.seconds)
            totals.by_event[name] = (ours.breaks, exact[0] if exact else None)
        self.stdout.write(
            f"\npublic events, seed {seed}: {totals.complete}/{totals.count} with every meeting scheduled; "
            f"breaks ours {totals.ours}, greedy {totals.greedy}, exact solvers {totals.exact} "
            f"(target <= {_break_target(totals.exact)}); slowest solve {totals.worst_seconds:.1f} s\n"
        )
        return totals

    def _spread(self, runs: list[_PublicTotals]) -> None:
        """How the public totals vary with the seed: the target must hold whatever the seed."""
        ours = [run.ours for run in runs]
        self.stdout.write(
            f"public events over seeds {runs[0].seed}-{runs[-1].seed}: breaks ours "
            f"{', '.join(map(str, ours))} (mean {sum(ours) / len(ours):.1f}, worst {max(ours)}), greedy "
            f"{runs[0].greedy} (it has no seed), exact solvers {runs[0].exact} "
            f"(target <= {_break_target(runs[0].exact)}); target met with {sum(run.meets_target for run in runs)} "
            f"of {len(runs)} seeds; slowest solve {max(run.worst_seconds for run in runs):.1f} s"
        )
        # Where the breaks above the exact solvers' come from: each event that missed its optimum with some seed.
        for name, (_ours, exact) in runs[0].by_event.items():
            per_seed = [run.by_event[name][0] for run in runs if name in run.by_event]
            if exact is not None and max(per_seed) > exact:
                self.stdout.write(
                    f"  {name}: breaks {', '.join(map(str, per_seed))} (exact {exact}; "
                    f"optimal with {sum(breaks <= exact for breaks in per_seed)} of {len(per_seed)} seeds)"
                )

    def _header(self) -> None:
        self.stdout.write(
            f"{'instance':28} {'solver':7} {'weight':>7} {'bound':>7} {'gap%':>6} {'meetings':>11} "
            f"{'breaks':>6} {'exact':>5} {'idle':>5} {'sec':>6} valid"
        )

    def _compare(
        self, name: str, instance: Instance, seconds: float, seed: int, exact: tuple[int, float] | None
    ) -> tuple[Schedule, Schedule]:
        started = time.perf_counter()
        ours = solve(instance, seconds=seconds, seed=seed)
        ours.seconds = time.perf_counter() - started
        greedy = solve_greedy(instance)
        bound = ours.upper_bound
        for label, schedule in (("ours", ours), ("greedy", greedy)):
            check = check_schedule(instance, replace(schedule, upper_bound=bound))
            gap = 100.0 * (bound - check.objective) / bound if bound else 0.0
            exact_text = f"{exact[0]:>5}" if exact else f"{'-':>5}"
            self.stdout.write(
                f"{name:28} {label:7} {check.objective:>7g} {bound:>7g} {gap:>6.2f} "
                f"{check.scheduled:>5}/{len(instance.requests):<5} {check.breaks:>6} {exact_text} {check.idle:>5} "
                f"{schedule.seconds:>6.2f} {'yes' if check.is_valid else 'NO: ' + json.dumps(check.violations[:3])}"
            )
            self.stdout.flush()
        return ours, greedy
