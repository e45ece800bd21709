"""The "why" of a suggestion, from stored components, in the active language."""

import pytest
from django.utils import translation

from matchmaking.explain import consortium_why, suggestion_why

NAMES = {"cast-grey-iron": "Grey iron casting", "turning": "Turning", "grey-iron": "Grey iron",
         "iso-9001": "ISO 9001", "sni": "SNI", "cnc-machining": "CNC machining"}


def components(**overrides):
    base = {"processes": [["cast-grey-iron", True, "ticked", ""], ["turning", True, "ticked", ""]],
            "materials": [["grey-iron", True, "ticked", ""]], "certs_met": ["iso-9001"], "certs_missing": [],
            "certs_expired": [], "certs_preferred": [], "km": 45.2, "capacity_tons": 30.0, "quantity_tons": 12.0,
            "trust": 0.0, "dismissal": 1.0}
    return {**base, **overrides}


def test_why_lists_what_is_met_in_order():
    with translation.override("en"):
        why = suggestion_why(components(), NAMES)

    assert why.text == "meets 2 of 2 processes · material matches · ISO 9001 · 45 km · capacity 30 t/month ≥ 12 t/month"
    assert why.missing == []


def test_why_lists_missing_process_expired_certificate_and_short_capacity():
    with translation.override("en"):
        why = suggestion_why(components(
            processes=[["cast-grey-iron", True, "prose", ""], ["turning", False, "missing", ""]],
            certs_met=[], certs_missing=["iso-9001", "sni"], certs_expired=["iso-9001"], capacity_tons=5.0), NAMES)

    assert why.met[0] == "meets 1 of 2 processes"
    assert why.missing == ["Turning", "ISO 9001 expired", "SNI", "capacity 5 t/month < 12 t/month"]
    assert why.notes == ["Grey iron casting found in the description"]


def test_why_names_a_process_met_through_a_related_one():
    with translation.override("en"):
        why = suggestion_why(components(processes=[["turning", True, "similar", "cnc-machining"]], km=None,
                                        capacity_tons=None), NAMES)

    assert why.text == "meets 1 of 1 processes · material matches · ISO 9001"
    assert why.notes == ["Turning through CNC machining"]


@pytest.mark.parametrize(("sentra", "km", "tail"), [("LIK Takaru", None, "all in LIK Takaru"),
                                                    (None, 38.4, "within 38 km of each other")])
def test_consortium_why_combines_processes_capacity_and_place(sentra, km, tail):
    with translation.override("en"):
        text = consortium_why(processes_met=3, processes_total=3, capacity=40.0, quantity=30.0,
                              same_sentra=sentra, km=km)

    assert text == f"together meet 3 of 3 processes · capacity 40 t/month ≥ 30 t/month · {tail}"


def test_figures_are_written_the_way_the_reader_writes_them():
    from django.utils import translation

    from matchmaking.explain import consortium_why

    with translation.override("id"):
        text = consortium_why(processes_met=1, processes_total=1, capacity=1250.5, quantity=12.25,
                              same_sentra=None, km=1234.4)
    assert "1.250,5" in text and "12,3" in text and "1.234 km" in text
    with translation.override("en"):
        text = consortium_why(processes_met=1, processes_total=1, capacity=1250.5, quantity=12.0,
                              same_sentra=None, km=1234.4)
    assert "1,250.5 t/month ≥ 12 t/month" in text and "1,234 km" in text
