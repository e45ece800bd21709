"""Ranking quality: NDCG@k of the engine against the overlap baseline on a labelled synthetic world.

NDCG uses graded gains ``2**rel − 1`` and the ideal ranking over *all* IKMs for the need (not only the
candidates a method returned), so a method that misses relevant suppliers is penalised for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from matchmaking.scoring.engine import NeedResult, prepare_ikms, score_pairs
from matchmaking.scoring.naive import overlap_baseline
from matchmaking.scoring.synthetic import SyntheticWorld, generate

_DISCOUNTS = 1.0 / np.log2(np.arange(2, 1002))


def dcg(gains: Sequence[float] | np.ndarray) -> float:
    g = np.asarray(gains, dtype=np.float64)
    return float((g * _DISCOUNTS[: len(g)]).sum())


def ndcg_at_k(ranked_relevance: Sequence[int] | np.ndarray, all_relevance: np.ndarray, k: int = 10) -> float:
    """NDCG@k of one ranking. ``ranked_relevance``: labels of the returned list in rank order;
    ``all_relevance``: labels of every item (for the ideal DCG). 1.0 when nothing is relevant at all."""
    ideal = np.sort(np.asarray(all_relevance, dtype=np.float64))[::-1][:k]
    ideal_dcg = dcg(2.0**ideal - 1.0)
    if ideal_dcg == 0.0:
        return 1.0
    got = np.asarray(ranked_relevance, dtype=np.float64)[:k]
    return dcg(2.0**got - 1.0) / ideal_dcg


def mean_ndcg(results: Sequence[NeedResult], world: SyntheticWorld, k: int = 10, chunk: int = 256) -> float:
    """Mean NDCG@k over all needs, with labels from the world's hidden truth."""
    values = []
    for start in range(0, len(results), chunk):
        batch = results[start : start + chunk]
        rel = world.relevance(np.array([r.need_index for r in batch]))
        for row, result in enumerate(batch):
            values.append(ndcg_at_k(rel[row, result.ikm_indices[:k]], rel[row], k))
    return float(np.mean(values)) if values else 0.0


@dataclass(frozen=True)
class QualityReport:
    n_ikms: int
    n_needs: int
    ndcg_engine: float
    ndcg_overlap: float
    prose_only_capabilities: int
    prose_only_found: float
    prose_code_precision: float


def prose_recovery(world: SyntheticWorld) -> tuple[int, float, float]:
    """(count, share found, precision) of capabilities written only in prose.

    Found = the text analysis produced the code at all; precision = share of prose-derived codes
    (process and material) that are true capabilities of that IKM.
    """
    ik = prepare_ikms(world.ikms)
    prose = np.hstack([ik.prose_p, ik.prose_m]) > 0
    truth = np.hstack([world.true_processes, world.true_materials])
    only = world.prose_only
    count = int(only.sum())
    found = float((prose & only).sum() / count) if count else 1.0
    precision = float((prose & truth).sum() / prose.sum()) if prose.any() else 1.0
    return count, found, precision


def quality_report(
    world: SyntheticWorld, *, engine_results: Sequence[NeedResult] | None = None, k: int = 10
) -> QualityReport:
    """NDCG@k of the engine and of the overlap baseline on ``world``, plus prose recovery figures."""
    results = engine_results if engine_results is not None else score_pairs(world.ikms, world.needs, top_k=k)
    baseline = overlap_baseline(world.ikms, world.needs, top_k=k)
    count, found, precision = prose_recovery(world)
    return QualityReport(
        n_ikms=len(world.ikms),
        n_needs=len(world.needs),
        ndcg_engine=mean_ndcg(results, world, k),
        ndcg_overlap=mean_ndcg(baseline, world, k),
        prose_only_capabilities=count,
        prose_only_found=found,
        prose_code_precision=precision,
    )


def run_quality_benchmark(
    seed: int = 0, *, n_ikms: int = 4000, n_needs: int = 400, k: int = 10
) -> QualityReport:
    """Generate a labelled world from ``seed`` and measure it (deterministic)."""
    return quality_report(generate(n_ikms, n_needs, seed), k=k)
