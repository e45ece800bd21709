"""The temu-bisnis meeting scheduler: pure Python (no Django), plain data in and out.

`solve` is the scheduler, `solve_greedy` the heaviest-first baseline, `check_schedule` the independent
validator; `instance_from_dict` / `schedule_to_dict` read and write the DESIGN.md JSON format.

The scheduler's compiled and SAT phases (numba with LLVM, python-sat) are imported on the first `solve`, not
with this package: web processes import it for the instance types and the validator, and never solve.
"""

from .greedy import solve_greedy
from .instance import (
    Instance,
    InstanceError,
    Meeting,
    Participant,
    Request,
    Schedule,
    Unscheduled,
    instance_from_dict,
    instance_to_dict,
    schedule_to_dict,
)
from .validate import ScheduleCheck, check_meetings, check_schedule

__all__ = [
    "Instance",
    "InstanceError",
    "Meeting",
    "Participant",
    "Request",
    "Schedule",
    "ScheduleCheck",
    "Unscheduled",
    "check_meetings",
    "check_schedule",
    "instance_from_dict",
    "instance_to_dict",
    "schedule_to_dict",
    "solve",
    "solve_greedy",
]


def solve(instance: Instance, **options) -> Schedule:
    """The scheduler: `solver.solve` (see there for `options`), imported on first use."""
    from .solver import solve as solve_now

    return solve_now(instance, **options)
