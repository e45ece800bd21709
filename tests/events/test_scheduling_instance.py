"""Reading and writing the DESIGN.md scheduler format, and the messages for malformed input."""

from __future__ import annotations

import pytest

from events.scheduling.instance import (
    Instance,
    InstanceError,
    Meeting,
    Participant,
    Request,
    Schedule,
    instance_from_dict,
    instance_to_dict,
    schedule_to_dict,
)


def event(**changes: object) -> dict:
    data = {
        "slots": 4,
        "tables": 2,
        "participants": [
            {"id": "I1", "side": "ikm", "seats": 1, "available": [0, 1, 2, 3]},
            {"id": "B1", "side": "buyer", "seats": 2, "available": [0, 1, 2]},
        ],
        "requests": [{"a": "I1", "b": "B1", "weight": 3, "slots": [0, 1]}],
    }
    data.update(changes)
    return data


def test_instance_from_dict_reads_design_example() -> None:
    instance = instance_from_dict(event())

    assert instance.slots == 4 and instance.tables == 2
    assert instance.participants[1] == Participant(
        id="B1", seats=2, available=frozenset({0, 1, 2}), side="buyer"
    )
    assert instance.requests[0] == Request(a="I1", b="B1", weight=3, slots=frozenset({0, 1}))
    assert instance.allowed_slots(instance.requests[0]) == frozenset({0, 1})


def test_instance_from_dict_defaults_available_seats_side_weight() -> None:
    data = event(participants=[{"id": "I1"}, {"id": "B1"}], requests=[{"a": "I1", "b": "B1"}])

    instance = instance_from_dict(data)

    assert instance.participants[0] == Participant(
        id="I1", seats=1, available=frozenset(range(4)), side="other"
    )
    assert instance.requests[0].weight == 1 and instance.requests[0].slots is None


def test_instance_to_dict_round_trips() -> None:
    instance = instance_from_dict(event(locked=[{"a": "I1", "b": "B1", "slot": 1, "table": 0}]))

    assert instance_from_dict(instance_to_dict(instance)) == instance


def test_instance_from_dict_accepts_pair_requested_twice_as_two_meetings() -> None:
    # The public forum events ask some pairs to meet twice.
    data = event(requests=[{"a": "I1", "b": "B1"}, {"a": "B1", "b": "I1"}])

    instance = instance_from_dict(data)

    assert len(instance.requests) == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"requests": [{"a": "I1", "b": "B9"}]}, "request 0 (I1-B9): unknown participant 'B9'"),
        ({"requests": [{"a": "I1", "b": "B1", "slots": [4]}]}, "slot 4 is outside 0..3"),
        ({"requests": [{"a": "I1", "b": "I1"}]}, "cannot meet themselves"),
        ({"requests": [{"a": "I1", "b": "B1", "weight": 0}]}, "weight must be positive"),
        ({"requests": [{"a": "I1", "b": "B1", "weight": "high"}]}, "weight must be a number"),
        ({"participants": [{"id": "I1", "seats": 0}, {"id": "B1"}]}, "participant 'I1': seats must be >= 1"),
        ({"participants": [{"id": "I1", "available": [0, 9]}, {"id": "B1"}]}, "available slot 9 is outside"),
        ({"participants": [{"id": "I1"}, {"id": "I1"}]}, "participant 'I1' is listed twice"),
        ({"participants": [{"id": "I1", "side": "vendor"}, {"id": "B1"}]}, "side must be one of"),
        ({"participants": [{"seats": 1}]}, "participants[0]: missing key 'id'"),
        ({"slots": 0}, "slots must be >= 1"),
        ({"tables": "many"}, "tables: expected an integer"),
        ({"requests": {"a": "I1"}}, "requests: expected a list"),
    ],
)
def test_instance_from_dict_rejects_malformed_input_with_clear_message(changes: dict, message: str) -> None:
    with pytest.raises(
        InstanceError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")
    ):
        instance_from_dict(event(**changes))


def test_instance_from_dict_rejects_missing_top_level_key() -> None:
    data = event()
    del data["requests"]

    with pytest.raises(InstanceError, match="missing key 'requests'"):
        instance_from_dict(data)


@pytest.mark.parametrize(
    ("locked", "message"),
    [
        ([{"a": "I1", "b": "B1", "slot": 3}], "B1 is not available then"),
        ([{"a": "I1", "b": "B1", "slot": 2}], "the request does not allow this slot"),
        ([{"a": "I1", "b": "B1", "slot": 0, "table": 5}], "table 5 is outside 0..1"),
        ([{"a": "I1", "b": "B1", "slot": 0}, {"a": "I1", "b": "B1", "slot": 1}], "locked more often"),
        ([{"a": "B1", "b": "X", "slot": 0}], "unknown participant 'X'"),
    ],
)
def test_instance_from_dict_rejects_impossible_locked_meeting(locked: list, message: str) -> None:
    with pytest.raises(InstanceError, match=message):
        instance_from_dict(event(locked=locked))


def test_instance_rejects_locked_meetings_beyond_seats() -> None:
    participants = (Participant(id="A"), Participant(id="B"), Participant(id="C"))
    requests = (Request(a="A", b="B"), Request(a="A", b="C"))

    with pytest.raises(InstanceError, match="A has more locked meetings than seats"):
        Instance(
            slots=2,
            tables=5,
            participants=participants,
            requests=requests,
            locked=(Meeting(a="A", b="B", slot=0), Meeting(a="A", b="C", slot=0)),
        )


def test_schedule_to_dict_has_design_keys_and_integral_numbers() -> None:
    schedule = Schedule(
        meetings=[Meeting(a="I1", b="B1", slot=0, table=0)], objective=3.0, breaks=0, idle=0, upper_bound=3.0
    )

    data = schedule_to_dict(schedule)

    assert data["meetings"] == [{"a": "I1", "b": "B1", "slot": 0, "table": 0}]
    assert (data["objective"], data["upper_bound"], data["breaks"]) == (3, 3, 0)
    assert isinstance(data["objective"], int) and "seconds" in data
