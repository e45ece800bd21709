"""Two baselines for the engine.

* :func:`naive_score_pairs` — the same formula as :mod:`engine`, computed pair by pair in plain Python.
  It is the speed baseline (what one writes first) and the correctness oracle: the engine must give the
  same scores. Work that a plain implementation would also do once per IKM or per need (text analysis,
  the TF-IDF vocabulary, the capability dicts) is shared with the engine through ``prepare_*``; the
  per-pair work is all Python.
* :func:`overlap_baseline` — rank by the number of ticked process codes shared with the need, nothing
  else: the quality baseline (what a portal without this engine would show).
"""

from __future__ import annotations

import math

import numpy as np

from matchmaking.scoring import weights as W
from matchmaking.scoring.engine import (
    _TIE_EPS,
    COMPONENT_NAMES,
    NeedResult,
    _FeedbackIndex,
    prepare_ikms,
    prepare_needs,
)
from matchmaking.scoring.features import Feedback, IkmFeatures, NeedFeatures
from matchmaking.scoring.taxonomy import material_similarity_matrix, process_similarity_matrix


def _sparse_rows(matrix: np.ndarray) -> list[dict[int, float]]:
    return [{int(j): float(v) for j, v in enumerate(row) if v > 0} for row in matrix]


def _similarity_dict(matrix: np.ndarray) -> list[dict[int, float]]:
    return [{int(q): float(v) for q, v in enumerate(row) if v > 0} for row in matrix]


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2.0 * W.EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def naive_score_pairs(
    ikms: IkmFeatures,
    needs: NeedFeatures,
    *,
    top_k: int = 20,
    feedback: Feedback | None = None,
) -> list[NeedResult]:
    """Same contract as :func:`engine.score_pairs` (scores only, no explanation context)."""
    ik = prepare_ikms(ikms)
    nd = prepare_needs(needs, ik.text)
    fb = _FeedbackIndex.build(feedback, nd)
    s_p = _similarity_dict(process_similarity_matrix())
    s_m = _similarity_dict(material_similarity_matrix())

    # Once per IKM: what it holds, as Python dicts.
    held_p, held_m = _sparse_rows(ik.cap_p), _sparse_rows(ik.cap_m)
    certs = [set(np.flatnonzero(row).tolist()) for row in ik.certs]
    capacity = [float(x) for x in ikms.capacity_tons_month]
    lat, lon = [float(x) for x in ikms.latitude], [float(x) for x in ikms.longitude]
    verified = [bool(v) for v in ikms.verified]
    text_rows = [dict(zip(r.indices.tolist(), r.data.tolist(), strict=True)) for r in ik.text.matrix]

    results = []
    for n in range(nd.m):
        need_p, need_m = _sparse_rows(nd.w_p[n : n + 1])[0], _sparse_rows(nd.w_m[n : n + 1])[0]
        sum_p, sum_m = sum(need_p.values()), sum(need_m.values())
        req = set(np.flatnonzero(nd.req[n]).tolist())
        pref = set(np.flatnonzero(nd.pref[n]).tolist())
        qty = float(needs.quantity_tons_month[n])
        nlat, nlon = float(needs.latitude[n]), float(needs.longitude[n])
        need_text = dict(zip(nd.text[n].indices.tolist(), nd.text[n].data.tolist(), strict=True))
        buyer = int(nd.buyer_ids[n])
        dismissed = fb.dismissed.get(buyer)
        dismiss_sims = (dismissed[1] @ nd.profile[n]).tolist() if dismissed else []
        boosts = fb.boosts.get(buyer)
        scored: list[tuple[float, int]] = []
        for i in range(ik.n):
            # Satisfaction of each required code through the similarity matrix.
            sat_p = {
                q: max((v * s_p[c].get(q, 0.0) for c, v in held_p[i].items()), default=0.0) for q in need_p
            }
            sat_m = {
                q: max((v * s_m[c].get(q, 0.0) for c, v in held_m[i].items()), default=0.0) for q in need_m
            }
            if need_p or need_m:  # candidate rule: plausibly holds enough of the requirement weight
                weights, sat, total = (need_p, sat_p, sum_p) if need_p else (need_m, sat_m, sum_m)
                held = sum(w / total for q, w in weights.items() if sat[q] >= W.PRUNE_MIN_SATISFACTION)
                if held < W.PRUNE_MIN_COVERAGE - 1e-9:
                    continue
            if need_p:
                process = (sum(need_p[q] * sat_p[q] for q in need_p) / sum_p) ** W.PROCESS_EXPONENT
            else:
                process = W.PROCESS_NO_REQUIREMENT
            material = sum(need_m[q] * sat_m[q] for q in need_m) / sum_m if need_m else W.NO_REQUIREMENT
            certification = len(pref & certs[i]) / len(pref) if pref else W.NO_REQUIREMENT
            if qty > 0 and capacity[i] > 0:
                cap = min(1.0, capacity[i] / qty) ** W.CAPACITY_EXPONENT
            else:
                cap = W.CAPACITY_UNKNOWN
            if math.isnan(nlat) or math.isnan(nlon) or math.isnan(lat[i]) or math.isnan(lon[i]):
                dist = W.DISTANCE_UNKNOWN
            else:
                dist = 1.0 / (1.0 + _haversine_km(lat[i], lon[i], nlat, nlon) / W.DISTANCE_HALF_KM)
            text = sum(v * text_rows[i].get(t, 0.0) for t, v in need_text.items())
            base = (
                W.PROCESS * process
                + W.MATERIAL * material
                + W.CERT_PREFERRED * certification
                + W.CAPACITY * cap
                + W.DISTANCE * dist
                + W.VERIFIED * verified[i]
                + W.TEXT * text
            )
            score = base * W.CERT_MISSING_FACTOR ** len(req - certs[i])
            if dismissed:
                for ikm, sim in zip(dismissed[0].tolist(), dismiss_sims, strict=True):
                    if ikm == i and sim >= W.DISMISS_MIN_SIMILARITY:
                        score *= 1.0 - W.DISMISS_PENALTY * sim
            if boosts:
                for ikm, value in zip(boosts[0].tolist(), boosts[1].tolist(), strict=True):
                    if ikm == i:
                        score += value
            scored.append((round(min(1.0, max(0.0, score)), W.SCORE_DECIMALS), i))
        scored.sort(key=lambda pair: (-pair[0], pair[1]))
        best = scored[:top_k]
        results.append(_result(n, best, len(scored)))
    return results


def _result(n: int, best: list[tuple[float, int]], n_candidates: int) -> NeedResult:
    return NeedResult(
        need_index=n,
        ikm_indices=np.array([i for _, i in best], dtype=np.int64),
        scores=np.array([s for s, _ in best], dtype=np.float64),
        components={name: np.zeros(0) for name in COMPONENT_NAMES},
        n_candidates=n_candidates,
    )


def overlap_baseline(ikms: IkmFeatures, needs: NeedFeatures, *, top_k: int = 20) -> list[NeedResult]:
    """Rank by the count of ticked processes in common (ties: lower index first); overlap 0 is dropped."""
    ticked = (ikms.processes > 0).astype(np.float64)
    required = (needs.processes > 0).astype(np.float64)
    n = len(ikms)
    results = []
    for start in range(0, len(needs), 256):
        overlap = required[start : start + 256] @ ticked.T
        keys = overlap - np.arange(n) * _TIE_EPS * 1e3  # counts are integers: any small tie-break works
        k = min(top_k, n)
        top = np.argpartition(-keys, k - 1, axis=1)[:, :k]
        for r in range(overlap.shape[0]):
            idx = top[r][np.argsort(-keys[r, top[r]])]
            idx = idx[overlap[r, idx] > 0]
            best = [(float(overlap[r, i]), int(i)) for i in idx]
            results.append(_result(start + r, best, int((overlap[r] > 0).sum())))
    return results
