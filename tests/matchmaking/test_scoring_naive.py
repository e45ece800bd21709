import numpy as np
import pytest

from matchmaking.scoring.engine import score_pairs
from matchmaking.scoring.features import (
    Dismissal,
    Feedback,
    TrustBoost,
    build_ikm_features,
    build_need_features,
)
from matchmaking.scoring.naive import naive_score_pairs, overlap_baseline
from matchmaking.scoring.synthetic import generate


@pytest.mark.parametrize("with_feedback", [False, True])
def test_naive_scorer_and_engine_agree_on_a_small_set(with_feedback):
    world = generate(250, 25, seed=11)
    buyers = world.needs.buyer_ids
    feedback = (
        Feedback(
            dismissals=[
                Dismissal(int(buyers[0]), 4, need_index=0),
                Dismissal(int(buyers[1]), 9, processes=("turning",), text="poros baja paduan"),
            ],
            boosts=[TrustBoost(int(buyers[2]), 12, 2.0)],
        )
        if with_feedback
        else None
    )
    fast = score_pairs(world.ikms, world.needs, top_k=25, feedback=feedback)
    slow = naive_score_pairs(world.ikms, world.needs, top_k=25, feedback=feedback)
    for a, b in zip(fast, slow, strict=True):
        assert a.n_candidates == b.n_candidates
        assert np.array_equal(a.ikm_indices, b.ikm_indices)
        assert a.scores == pytest.approx(b.scores, abs=1e-8)


def test_overlap_baseline_ranks_by_shared_ticked_processes_only():
    ikms = build_ikm_features(
        processes=[["turning"], ["turning", "milling"], ["galvanizing"], ["cnc-machining"]],
        texts=["", "", "", "bubut dan frais"],
    )
    needs = build_need_features(processes=[["turning", "milling"]])
    [result] = overlap_baseline(ikms, needs)
    assert result.ikm_indices.tolist() == [1, 0]  # no partial credit, no prose: that is the baseline
    assert result.scores.tolist() == [2.0, 1.0]
