"""Hand-made cases: what a buyer would expect of the ranking. No database needed."""

from datetime import date

import numpy as np
import pytest

from matchmaking.scoring import weights as W
from matchmaking.scoring.engine import score_pairs
from matchmaking.scoring.features import (
    Dismissal,
    Feedback,
    TrustBoost,
    build_ikm_features,
    build_need_features,
)
from matchmaking.scoring.synthetic import generate

TEGAL = (-6.98, 109.13)
BANDUNG = (-6.91, 107.61)
SURABAYA = (-7.25, 112.75)
MEDAN = (3.59, 98.67)


def ikms(rows, reference_date=None):
    """rows: dicts with processes/materials/certifications/capacity/at/text/verified."""
    return build_ikm_features(
        processes=[r.get("processes", ()) for r in rows],
        materials=[r.get("materials", ()) for r in rows],
        certifications=[r.get("certifications", ()) for r in rows],
        capacity_tons_month=[r.get("capacity", 10.0) for r in rows],
        coordinates=[r.get("at", TEGAL) for r in rows],
        verified=[r.get("verified", True) for r in rows],
        texts=[r.get("text", "") for r in rows],
        reference_date=reference_date,
    )


def needs(rows):
    return build_need_features(
        processes=[r.get("processes", ()) for r in rows],
        materials=[r.get("materials", ()) for r in rows],
        certifications_required=[r.get("required", ()) for r in rows],
        certifications_preferred=[r.get("preferred", ()) for r in rows],
        quantity_tons_month=[r.get("quantity", 5.0) for r in rows],
        coordinates=[r.get("at", TEGAL) for r in rows],
        buyer_ids=[r.get("buyer", 1) for r in rows],
        texts=[r.get("text", "") for r in rows],
    )


def ranking(result):
    return [int(i) for i in result.ikm_indices]


def score_of(result, ikm_index):
    where = np.flatnonzero(result.ikm_indices == ikm_index)
    return float(result.scores[where[0]]) if len(where) else None


def test_score_pairs_more_process_coverage_ranks_higher():
    pool = ikms(
        [
            {"processes": ["cast-grey-iron"]},
            {"processes": ["cast-grey-iron", "turning", "painting"]},
            {"processes": ["cast-grey-iron", "turning"]},
        ]
    )
    [result] = score_pairs(pool, needs([{"processes": ["cast-grey-iron", "turning", "painting"]}]))
    assert ranking(result) == [1, 2]  # one of three steps is below the candidate threshold
    assert result.components["process"][0] == 1.0


def test_score_pairs_cnc_machining_gets_partial_credit_for_turning():
    pool = ikms(
        [{"processes": ["cnc-machining"]}, {"processes": ["turning"]}, {"processes": ["galvanizing"]}]
    )
    [result] = score_pairs(pool, needs([{"processes": ["turning"]}]))
    assert ranking(result) == [1, 0]  # the galvaniser is no candidate at all
    cnc = result.explain(1)
    assert 0.0 < cnc.components["process"] < 1.0
    [turning] = cnc.processes
    assert (turning.source, turning.via, turning.satisfaction) == ("similar", "cnc-machining", 0.8)
    assert turning.met


def test_score_pairs_expired_certificate_stops_counting():
    today = date(2026, 6, 1)
    pool = ikms(
        [
            {"processes": ["turning"], "certifications": {"iso-9001": date(2026, 1, 31)}},  # expired
            {"processes": ["turning"], "certifications": {"iso-9001": date(2027, 1, 31)}},  # valid
            {"processes": ["turning"], "certifications": {"iso-9001": None}},  # no expiry
        ],
        reference_date=today,
    )
    [result] = score_pairs(pool, needs([{"processes": ["turning"], "required": ["iso-9001"]}]))
    assert ranking(result) == [1, 2, 0]
    assert score_of(result, 0) == pytest.approx(score_of(result, 1) * W.CERT_MISSING_FACTOR, abs=1e-9)
    expired = result.explain(2)
    assert expired.certifications_missing == ("iso-9001",)
    assert expired.certifications_expired == ("iso-9001",)


def test_score_pairs_expiry_applies_only_from_reference_date():
    rows = [{"processes": ["turning"], "certifications": {"sni": date(2026, 3, 1)}}]
    need = needs([{"processes": ["turning"], "required": ["sni"]}])
    [before] = score_pairs(ikms(rows, reference_date=date(2026, 2, 1)), need)
    [after] = score_pairs(ikms(rows, reference_date=date(2026, 4, 1)), need)
    assert before.components["certifications_missing"][0] == 0
    assert after.components["certifications_missing"][0] == 1


def test_score_pairs_preferred_certificate_adds_but_does_not_gate():
    pool = ikms([{"processes": ["welding"]}, {"processes": ["welding"], "certifications": ["smk3"]}])
    [result] = score_pairs(pool, needs([{"processes": ["welding"], "preferred": ["smk3"]}]))
    assert ranking(result) == [1, 0]
    assert result.components["certification_factor"].tolist() == [1.0, 1.0]


def test_score_pairs_capability_written_only_in_prose_is_found():
    pool = ikms(
        [
            {"text": "Kami melayani bubut dan frais CNC untuk suku cadang"},
            {"text": "Toko bangunan dan alat pertanian"},
        ]
    )
    [result] = score_pairs(pool, needs([{"processes": ["turning", "milling"]}]))
    assert ranking(result) == [0]
    explanation = result.explain(0)
    assert {m.code: m.source for m in explanation.processes} == {"turning": "prose", "milling": "prose"}
    assert explanation.processes_met == ("turning", "milling")


def test_score_pairs_prose_counts_less_than_a_ticked_box():
    pool = ikms(
        [
            {"text": "coran alumunium untuk velg"},
            {"processes": ["cast-aluminium"], "materials": ["aluminium"]},
        ]
    )
    [result] = score_pairs(pool, needs([{"processes": ["cast-aluminium"], "materials": ["aluminium"]}]))
    assert ranking(result) == [1, 0]
    prose = result.explain(1)
    assert prose.processes[0].source == "prose"
    assert prose.materials[0].source == "prose"


def test_score_pairs_material_similarity_gives_partial_credit():
    pool = ikms(
        [
            {"processes": ["cast-ductile-iron"], "materials": ["ductile-iron"]},
            {"processes": ["cast-ductile-iron"], "materials": ["grey-iron"]},
            {"processes": ["cast-ductile-iron"], "materials": ["aluminium"]},
        ]
    )
    [result] = score_pairs(pool, needs([{"processes": ["cast-ductile-iron"], "materials": ["ductile-iron"]}]))
    assert ranking(result) == [0, 1, 2]
    assert result.components["material"].tolist() == pytest.approx([1.0, 0.7, 0.0])


def test_score_pairs_distance_is_monotonic():
    pool = ikms([{"processes": ["forging"], "at": at} for at in (MEDAN, SURABAYA, TEGAL, BANDUNG)])
    [result] = score_pairs(pool, needs([{"processes": ["forging"], "at": BANDUNG}]))
    assert ranking(result) == [3, 2, 1, 0]
    km = result.components["distance_km"]
    assert km[0] == pytest.approx(0.0, abs=1e-3)  # same place, to the metre
    assert np.all(np.diff(km) > 0)
    assert 150 < km[1] < 200  # Bandung–Tegal


def test_score_pairs_unknown_location_is_neutral():
    pool = build_ikm_features(processes=[["forging"]], coordinates=[None])
    [result] = score_pairs(pool, needs([{"processes": ["forging"]}]))
    assert result.components["distance"][0] == W.DISTANCE_UNKNOWN
    assert np.isnan(result.components["distance_km"][0])


def test_score_pairs_capacity_is_monotonic_and_saturates():
    pool = ikms([{"processes": ["stamping"], "capacity": c} for c in (1.0, 5.0, 20.0, 40.0)])
    [result] = score_pairs(pool, needs([{"processes": ["stamping"], "quantity": 20.0}]))
    assert ranking(result) == [2, 3, 1, 0]  # 20 and 40 tie on capacity; the lower index wins the tie
    by_ikm = dict(zip(ranking(result), result.components["capacity"], strict=True))
    assert by_ikm[0] < by_ikm[1] < by_ikm[2] == by_ikm[3] == 1.0


def test_score_pairs_dismissal_drops_ikm_for_that_buyer_similar_need_only():
    pool = ikms([{"processes": ["turning"], "at": SURABAYA}, {"processes": ["turning"], "at": BANDUNG}])
    demand = needs(
        [
            {"processes": ["turning"], "materials": ["stainless-steel"], "buyer": 1},
            {"processes": ["turning"], "materials": ["stainless-steel"], "buyer": 2},
            {
                "processes": ["turning", "milling"],
                "materials": ["stainless-steel"],
                "buyer": 1,
            },  # similar job
            {"processes": ["turning"], "materials": ["aluminium", "brass"], "buyer": 1},  # a different job
        ]
    )
    before = score_pairs(pool, demand)
    assert [ranking(r) for r in before] == [[1, 0]] * 4  # Bandung is nearer to Tegal than Surabaya

    dismissal = Dismissal(buyer_id=1, ikm_index=1, processes=("turning",), materials=("stainless-steel",))
    feedback = Feedback(dismissals=[dismissal])
    same, other_buyer, similar, different = score_pairs(pool, demand, feedback=feedback)
    assert ranking(same) == [0, 1]
    assert ranking(similar) == [0, 1]
    assert ranking(other_buyer) == [1, 0]
    assert score_of(other_buyer, 1) == score_of(before[1], 1)
    assert different.components["dismissal_factor"].tolist() == [1.0, 1.0]


def test_score_pairs_trust_boost_lifts_partner_for_that_buyer():
    pool = ikms([{"processes": ["welding"]}, {"processes": ["welding"]}])
    demand = needs([{"processes": ["welding"], "buyer": 7}, {"processes": ["welding"], "buyer": 8}])
    mine, theirs = score_pairs(pool, demand, feedback=Feedback(boosts=[TrustBoost(buyer_id=7, ikm_index=1)]))
    assert ranking(mine) == [1, 0]
    assert ranking(theirs) == [0, 1]


def test_score_pairs_unrelated_ikm_is_not_a_candidate():
    pool = ikms([{"processes": ["galvanizing"], "text": "galvanis celup panas"}])
    [result] = score_pairs(pool, needs([{"processes": ["cast-brass-bronze"]}]))
    assert len(result) == 0
    assert result.n_candidates == 0


def test_score_pairs_need_naming_no_code_considers_everyone():
    pool = ikms([{"processes": ["welding"]}, {"processes": ["turning"]}])
    [result] = score_pairs(pool, needs([{"text": "Kebutuhan umum"}]))
    assert result.n_candidates == 2


def test_score_pairs_scores_stay_in_unit_interval():
    world = generate(300, 30, seed=5)
    boosts = [TrustBoost(int(b), i, 5.0) for i, b in enumerate(world.needs.buyer_ids[:10])]
    for result in score_pairs(world.ikms, world.needs, top_k=50, feedback=Feedback(boosts=boosts)):
        assert np.all((result.scores >= 0.0) & (result.scores <= 1.0))
        assert np.all(np.diff(result.scores) <= 0)  # ranked best first


def test_score_pairs_components_recombine_to_the_score():
    world = generate(300, 20, seed=6)
    for result in score_pairs(world.ikms, world.needs):
        c = result.components
        base = sum(weight * c[name] for name, weight in W.COMPONENT_WEIGHTS.items())
        combined = np.clip(base * c["certification_factor"] * c["dismissal_factor"] + c["trust_boost"], 0, 1)
        assert combined == pytest.approx(result.scores, abs=1e-8)


def test_score_pairs_chunked_and_unchunked_give_identical_results():
    world = generate(400, 60, seed=7)
    feedback = Feedback(dismissals=[Dismissal(int(world.needs.buyer_ids[0]), 3, need_index=0)])
    whole = score_pairs(world.ikms, world.needs, top_k=15, feedback=feedback, chunk_size=1000)
    for chunk_size in (1, 7):
        chunked = score_pairs(world.ikms, world.needs, top_k=15, feedback=feedback, chunk_size=chunk_size)
        for a, b in zip(whole, chunked, strict=True):
            assert a.need_index == b.need_index
            assert np.array_equal(a.ikm_indices, b.ikm_indices)
            assert np.array_equal(a.scores, b.scores)


def test_score_pairs_results_come_back_in_need_order():
    world = generate(200, 25, seed=8)
    results = score_pairs(world.ikms, world.needs)
    assert [r.need_index for r in results] == list(range(25))


def test_score_pairs_rejects_top_k_below_one():
    with pytest.raises(ValueError, match="top_k"):
        score_pairs(ikms([{"processes": ["turning"]}]), needs([{"processes": ["turning"]}]), top_k=0)


def test_score_pairs_need_naming_only_a_material_keys_candidates_on_materials():
    pool = ikms(
        [
            {"processes": ["turning"], "materials": ["brass"]},
            {"processes": ["welding"], "materials": ["carbon-steel"]},
        ]
    )
    [result] = score_pairs(pool, needs([{"materials": ["bronze"]}]))
    assert ranking(result) == [0]  # brass workers handle bronze (0.8); the steel welder is no candidate
    assert result.components["material"][0] == pytest.approx(0.8)
