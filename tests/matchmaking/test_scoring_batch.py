"""The vectorised paths give what the per-pair ones give: explanations of every ranked pair at once, and
scoring prepared needs (all, or only the candidates of a few IKMs). No database needed."""

import json

import numpy as np
import pytest

from matchmaking.recompute import stored_components, stored_components_json
from matchmaking.scoring.engine import (
    candidate_needs,
    explain_results,
    prepare_ikms,
    prepare_needs,
    score_pairs,
    score_prepared,
)
from matchmaking.scoring.features import Dismissal, Feedback, IkmFeatures, TrustBoost
from matchmaking.scoring.synthetic import generate


@pytest.fixture(scope="module")
def world():
    world = generate(600, 80, seed=7)
    buyers = world.needs.buyer_ids
    plain = score_pairs(world.ikms, world.needs, top_k=20)
    listed = [(n, r.ikm_indices) for n, r in enumerate(plain) if len(r) >= 3][:6]
    # feedback on IKMs that are ranked, so its components show up in the explanations
    feedback = Feedback(
        dismissals=(
            Dismissal(int(buyers[listed[0][0]]), int(listed[0][1][0]), need_index=listed[0][0]),
            Dismissal(int(buyers[listed[1][0]]), int(listed[1][1][1]), need_index=listed[2][0]),
            Dismissal(int(buyers[listed[3][0]]), int(listed[3][1][2]), processes=("turning",), text="bubut poros"),
        ),
        boosts=(TrustBoost(int(buyers[listed[4][0]]), int(listed[4][1][1]), 1.0),
                TrustBoost(int(buyers[listed[5][0]]), int(listed[5][1][0]), 2.0)),
    )
    return world, feedback


def one_ikm(ikms: IkmFeatures, i: int) -> IkmFeatures:
    return IkmFeatures(
        processes=ikms.processes[[i]], materials=ikms.materials[[i]], certifications=ikms.certifications[[i]],
        capacity_tons_month=ikms.capacity_tons_month[[i]], latitude=ikms.latitude[[i]],
        longitude=ikms.longitude[[i]], verified=ikms.verified[[i]], texts=[ikms.texts[i]],
        certification_expiry=None if ikms.certification_expiry is None else ikms.certification_expiry[[i]],
        reference_date=ikms.reference_date,
    )


def test_explain_results_equals_explain_of_each_rank(world):
    world, feedback = world
    results = score_pairs(world.ikms, world.needs, top_k=60, feedback=feedback)  # deep: dismissed IKMs too

    pairs = explain_results(results)

    expected = [(r.need_index, rank, r.explain(rank)) for r in results for rank in range(len(r))]
    assert len(pairs) == len(expected) > 1000
    for j, (need_index, rank, explanation) in enumerate(expected):
        assert (pairs.need_index[j], pairs.rank[j]) == (need_index, rank)
        assert pairs.explanation(j) == explanation
    # every kind of source occurs, so the comparison above covers them all
    sources = {m.source for _, _, e in expected for m in (*e.processes, *e.materials)}
    assert sources == {"ticked", "prose", "similar", "missing"}
    assert any(e.certifications_expired for _, _, e in expected)
    assert any(e.components["trust_boost"] > 0 for _, _, e in expected)
    assert any(e.components["dismissal_factor"] < 1 for _, _, e in expected)


def test_stored_components_json_is_the_per_pair_json(world):
    world, feedback = world
    results = score_pairs(world.ikms, world.needs, top_k=20, feedback=feedback)
    pairs = explain_results(results)
    capacity = [None if np.isnan(c) else float(c) for c in world.ikms.capacity_tons_month]
    capacity[int(pairs.ikm_index[0])] = None
    quantity = [None if np.isnan(q) else float(q) for q in world.needs.quantity_tons_month]

    texts = stored_components_json(pairs, capacity=[capacity[i] for i in pairs.ikm_index],
                                   quantity=[quantity[n] for n in pairs.need_index])

    expected = [
        json.dumps(stored_components(r.explain(rank), capacity=capacity[int(r.ikm_indices[rank])],
                                     quantity=quantity[r.need_index]))
        for r in results for rank in range(len(r))
    ]
    assert texts == expected


def test_explain_results_of_nothing():
    world = generate(20, 3, seed=1)
    results = score_pairs(world.ikms, world.needs, top_k=5)
    empty = [r for r in results if not len(r)] or results[:0]

    assert len(explain_results(empty)) == 0
    assert len(explain_results([])) == 0


def test_score_prepared_on_candidate_needs_equals_scoring_everything(world):
    world, feedback = world
    full = score_pairs(world.ikms, world.needs, top_k=20, feedback=feedback)
    ik = prepare_ikms(world.ikms)
    nd = prepare_needs(world.needs, ik.text)

    rows = candidate_needs(ik, nd)
    some = score_prepared(ik, nd, rows, top_k=20, feedback=feedback)

    assert [r.need_index for r in some] == list(rows)
    assert {r.need_index for r in full if len(r)} <= set(rows.tolist())
    for result in some:
        reference = full[result.need_index]
        assert np.array_equal(result.ikm_indices, reference.ikm_indices)
        assert np.array_equal(result.scores, reference.scores)
        for name, values in reference.components.items():
            assert np.array_equal(result.components[name], values, equal_nan=True)


def test_candidate_needs_of_one_ikm_hold_every_need_it_is_ranked_for(world):
    world, feedback = world
    full = score_pairs(world.ikms, world.needs, top_k=len(world.ikms))
    nd = prepare_needs(world.needs, prepare_ikms(world.ikms).text)
    for i in (0, 17, 123, 599):
        rows = set(candidate_needs(prepare_ikms(one_ikm(world.ikms, i)), nd).tolist())

        listed = {r.need_index for r in full if i in r.ikm_indices}
        assert listed <= rows
        assert len(rows) < nd.m  # the point: most needs are skipped


def test_rounded_json_is_json_of_python_round():
    from matchmaking.recompute import _r, _rounded_json

    rng = np.random.default_rng(3)
    values = np.concatenate([
        rng.random(20_000), rng.random(2000) * 5000, -rng.random(100),
        [0.00005, 0.00015, 2.675, 1.00005, 0.12345, 0.5, 1e-9, -0.0, 0.0, 1.0, 123456.78905, 1e17],
        np.arange(0, 1, 0.00005), [np.nan, np.inf, -np.inf],
    ])
    for digits in (4, 1):
        assert _rounded_json(values, digits) == [json.dumps(_r(v, digits)) for v in values]
