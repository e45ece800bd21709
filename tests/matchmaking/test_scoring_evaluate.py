import numpy as np
import pytest

from matchmaking.scoring.evaluate import ndcg_at_k, prose_recovery, run_quality_benchmark
from matchmaking.scoring.synthetic import generate


def test_ndcg_perfect_ranking_is_one():
    labels = np.array([0, 3, 1, 2, 0])
    assert ndcg_at_k([3, 2, 1], labels, k=3) == pytest.approx(1.0)


def test_ndcg_worse_ranking_scores_lower():
    labels = np.array([0, 3, 1, 2, 0])
    assert ndcg_at_k([0, 1, 3], labels, k=3) < ndcg_at_k([3, 1, 0], labels, k=3) < 1.0


def test_ndcg_nothing_relevant_counts_as_perfect():
    assert ndcg_at_k([0, 0], np.zeros(4), k=10) == 1.0


def test_synthetic_generate_is_deterministic_for_a_seed():
    a, b, c = generate(120, 12, seed=3), generate(120, 12, seed=3), generate(120, 12, seed=4)
    assert a.ikms.texts == b.ikms.texts
    assert np.array_equal(a.ikms.processes, b.ikms.processes)
    assert np.array_equal(a.relevance(), b.relevance())
    assert a.ikms.texts != c.ikms.texts


def test_synthetic_world_hides_capabilities_in_prose_and_finds_them():
    world = generate(400, 10, seed=2)
    count, found, precision = prose_recovery(world)
    assert count > 50  # some true capabilities are written but not ticked
    assert found > 0.9
    assert precision > 0.8


def test_synthetic_relevance_has_every_grade():
    world = generate(600, 40, seed=1)
    assert set(np.unique(world.relevance())) == {0, 1, 2, 3}


def test_engine_ndcg_beats_overlap_baseline_on_a_small_world():
    report = run_quality_benchmark(seed=9, n_ikms=800, n_needs=60)
    assert report.ndcg_engine > report.ndcg_overlap + 0.05
