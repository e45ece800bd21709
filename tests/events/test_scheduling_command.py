"""`schedule_instance` end to end: a file in, the DESIGN.md schedule out; bad files give CommandError."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from events.scheduling.instance import Meeting, instance_from_dict
from events.scheduling.validate import check_meetings

EVENT = {
    "slots": 4,
    "tables": 2,
    "participants": [
        {"id": "I0001", "side": "ikm", "seats": 1, "available": [0, 1, 2]},
        {"id": "I0002", "side": "ikm", "seats": 1, "available": [0, 1, 2, 3]},
        {"id": "B001", "side": "buyer", "seats": 2, "available": [0, 1, 2, 3]},
    ],
    "requests": [
        {"a": "I0001", "b": "B001", "weight": 3},
        {"a": "I0002", "b": "B001", "weight": 1, "slots": [0, 1]},
    ],
    "locked": [{"a": "I0001", "b": "B001", "slot": 1, "table": 1}],
}


def test_schedule_instance_writes_design_output(tmp_path: Path) -> None:
    source, target = tmp_path / "event.json", tmp_path / "schedule.json"
    source.write_text(json.dumps(EVENT), encoding="utf-8")

    call_command("schedule_instance", str(source), "--out", str(target), "--seconds", "0.5")

    result = json.loads(target.read_text(encoding="utf-8"))
    assert {"meetings", "objective", "upper_bound", "breaks", "seconds"} <= result.keys()
    assert (result["objective"], result["upper_bound"], result["breaks"]) == (4, 4, 0)
    meetings = [Meeting(**m) for m in result["meetings"]]
    assert check_meetings(instance_from_dict(EVENT), meetings).violations == []
    assert {"a": "I0001", "b": "B001", "slot": 1, "table": 1} in result["meetings"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        (json.dumps({**EVENT, "requests": [{"a": "I0001", "b": "B999"}]}), "unknown participant 'B999'"),
        (json.dumps([1, 2]), "instance: expected an object"),
    ],
)
def test_schedule_instance_rejects_bad_file(tmp_path: Path, content: str, message: str) -> None:
    source = tmp_path / "event.json"
    source.write_text(content, encoding="utf-8")

    with pytest.raises(CommandError, match=message):
        call_command("schedule_instance", str(source))


def test_schedule_instance_rejects_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        call_command("schedule_instance", str(tmp_path / "absent.json"))
