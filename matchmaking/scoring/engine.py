"""The vectorised scorer: rank IKMs for each buyer need, with the components that explain the rank.

Formula (weights in :mod:`weights`), for IKM ``i`` and need ``n``:

* **capability held** ``cap[i, c] = max(ticked[i, c], PROSE_DISCOUNT · prose[i, c])`` — a box ticked counts
  fully, a capability written only in the description counts at a discount times the text confidence;
* **satisfaction** ``sat[i, q] = max_c cap[i, c] · S[c, q]`` — partial credit through the directed
  similarity matrix ``S`` of :mod:`taxonomy` (CNC machining satisfies turning at 0.8);
* **process** = ``(Σ_q w[n, q] · sat[i, q] / Σ_q w[n, q]) ** PROCESS_EXPONENT`` with requirement weights ``w``
  (ticked 1, need prose ``NEED_PROSE_WEIGHT · confidence``); **material** the same over materials, linear;
* **certification** = share of *preferred* certificates held and valid; each *required* one missing
  multiplies the whole score by ``CERT_MISSING_FACTOR``;
* **capacity** = ``min(1, capacity / quantity) ** 0.5``; **distance** = ``1 / (1 + km / DISTANCE_HALF_KM)`` on
  the great-circle (haversine) distance; **verified** = 0/1; **text** = TF-IDF cosine of the stemmed texts;
* **feedback**: ``× (1 − DISMISS_PENALTY · sim)`` for IKMs this buyer dismissed on a similar need,
  ``+ boost`` for mutual interest / partnerships; the result is capped at 1 and rounded.

Only **candidates** are scored: IKMs that plausibly hold (``sat ≥ PRUNE_MIN_SATISFACTION``) at least
``PRUNE_MIN_COVERAGE`` of the need's process weight (material weight if it names no process).

How it stays fast and small:

* the similarity expansion is done once per IKM (``sat``) and the need side is pre-normalised, so process
  coverage is one matrix product and material + preferred certificates + verified another (BLAS, kept
  single-threaded: see :mod:`blas`); the great-circle distance comes from a product of unit vectors; the
  certificate gate is a table lookup on bit masks;
* **candidate pruning**: the inverted index (code → IKMs plausibly holding it) is a sparse matrix and
  ``query @ index`` gives each need's candidates, computed once per distinct query; so work grows with
  plausible pairs, not with IKMs × needs;
* needs are sorted by the codes they ask for and scored in dense blocks of (needs × union of their
  candidates) of at most ``BLOCK_ELEMENTS`` pairs, which stay in cache; candidate generation is chunked
  too, so 100,000 IKMs × 10,000 needs never hold all pairs in memory;
* text similarity is a sparse × sparse product over informative terms only (``TEXT_MAX_DF``);
* only the top-k per need get their components computed, for the explanation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain

import numpy as np
import scipy.sparse as sp

from matchmaking.scoring import weights as W
from matchmaking.scoring.blas import single_threaded_blas
from matchmaking.scoring.features import C, Dismissal, Feedback, IkmFeatures, M, NeedFeatures, P
from matchmaking.scoring.taxonomy import (
    CERTIFICATION_CODES,
    MATERIAL_CODES,
    MATERIAL_INDEX,
    PROCESS_CODES,
    PROCESS_INDEX,
    material_similarity_matrix,
    process_similarity_matrix,
)
from matchmaking.scoring.text import analyse

#: Upper bound on the pairs of one dense (needs × candidates) block: 256k float64 = 2 MB per array, so
#: the dozen elementwise passes over a block run in cache rather than in main memory.
BLOCK_ELEMENTS = 262_144
#: Upper bound on needs × IKMs per candidate-generation chunk (the sparse candidate matrix holds at most
#: this many entries): memory stays flat whatever the number of IKMs and needs.
CANDIDATE_ELEMENTS = 16_000_000
#: Tie-break on the IKM index (lower first) below the rounding grid, so rankings are deterministic.
_TIE_EPS = 4e-16

#: Above this satisfaction a requirement is reported as met; between PRUNE_MIN_SATISFACTION and this,
#: as partly met (for the "why" text only; scores use the continuous value).
MET_THRESHOLD = 0.5


# --- preparation ---------------------------------------------------------------------------------------


def _code_matrix(dicts: Sequence[Mapping[str, float]], index: Mapping[str, int], width: int) -> np.ndarray:
    out = np.zeros((len(dicts), width), dtype=np.float64)
    for r, codes in enumerate(dicts):
        for code, conf in codes.items():
            col = index.get(code)
            if col is not None:
                out[r, col] = conf
    return out


def _expand(cap: np.ndarray, similarity: np.ndarray) -> np.ndarray:
    """sat[i, q] = max_c cap[i, c] · S[c, q], one code at a time (N×P memory, not N×P×P)."""
    sat = np.zeros_like(cap)
    for c in np.flatnonzero(cap.any(axis=0)):
        np.maximum(sat, np.multiply.outer(cap[:, c], similarity[c]), out=sat)
    return sat


def _bitmask(flags: np.ndarray) -> np.ndarray:
    """Row of C booleans → one integer (C is 6), for table lookups of the certificate gate."""
    return (flags > 0).astype(np.int64) @ (1 << np.arange(flags.shape[1], dtype=np.int64))


def _certificate_gate_table() -> np.ndarray:
    """[required mask, held mask] → CERT_MISSING_FACTOR ** (number of required certificates not held)."""
    masks = np.arange(1 << C)
    missing = np.array([[bin(r & ~h).count("1") for h in masks] for r in masks])
    return np.power(W.CERT_MISSING_FACTOR, missing)


_GATE = _certificate_gate_table()


def _unit_vectors(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors on the sphere (zeros where unknown) and the known mask."""
    known = np.isfinite(lat) & np.isfinite(lon)
    phi, lam = np.radians(np.where(known, lat, 0.0)), np.radians(np.where(known, lon, 0.0))
    unit = np.stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)], axis=1)
    unit[~known] = 0.0
    return unit, known


def _analyses(
    texts: Sequence[str],
    prose_codes: Sequence[Mapping[str, float]] | None,
    text_tokens: Sequence[Sequence[str]] | None,
) -> tuple[list[Mapping[str, float]], list[Sequence[str]]]:
    if prose_codes is not None and text_tokens is not None:
        return list(prose_codes), list(text_tokens)
    done = [analyse(t) for t in texts]
    codes = list(prose_codes) if prose_codes is not None else [a.codes for a in done]
    tokens = list(text_tokens) if text_tokens is not None else [a.tokens for a in done]
    return codes, tokens


@dataclass(eq=False)
class TextIndex:
    """TF-IDF over IKM texts: vocabulary, idf, and the L2-normalised IKM matrix (and its transpose)."""

    vocabulary: dict[str, int]
    idf: np.ndarray
    matrix: sp.csr_matrix
    transposed: sp.csr_matrix

    @classmethod
    def build(cls, token_lists: Sequence[Sequence[str]]) -> TextIndex:
        n = len(token_lists)
        flat = list(chain.from_iterable(token_lists))
        lengths = np.fromiter((len(t) for t in token_lists), dtype=np.int64, count=n)
        all_terms: dict[str, int] = {}
        term_ids = np.fromiter((all_terms.setdefault(t, len(all_terms)) for t in flat), np.int64, len(flat))
        if not all_terms:
            empty = sp.csr_matrix((n, 0))
            return cls({}, np.zeros(0), empty, empty.T.tocsr())
        docs = np.repeat(np.arange(n, dtype=np.int64), lengths)
        v_all = len(all_terms)
        pair_keys, counts = np.unique(docs * v_all + term_ids, return_counts=True)
        pair_docs, pair_terms = pair_keys // v_all, pair_keys % v_all
        df = np.bincount(pair_terms, minlength=v_all)
        # With a handful of profiles, document frequencies mean nothing: keep every term.
        prune = n >= W.TEXT_PRUNE_MIN_DOCS
        keep = (df >= W.TEXT_MIN_DF) & (df <= W.TEXT_MAX_DF * n) if prune else df >= 1
        new_id = np.full(v_all, -1, dtype=np.int64)
        new_id[keep] = np.arange(int(keep.sum()))
        names = np.array(list(all_terms), dtype=object)
        vocabulary = {str(t): int(i) for t, i in zip(names[keep], new_id[keep], strict=True)}
        idf = np.log((1.0 + n) / (1.0 + df[keep])) + 1.0
        sel = new_id[pair_terms] >= 0
        matrix = cls._weighted(pair_docs[sel], new_id[pair_terms[sel]], counts[sel], idf, n)
        return cls(vocabulary, idf, matrix, matrix.T.tocsr())

    @staticmethod
    def _weighted(docs: np.ndarray, terms: np.ndarray, counts: np.ndarray, idf: np.ndarray, n: int):
        """Sublinear tf · idf, rows L2-normalised (so a dot product is the cosine)."""
        values = (1.0 + np.log(counts.astype(np.float64))) * idf[terms]
        matrix = sp.csr_matrix((values, (docs, terms)), shape=(n, len(idf)))
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sp.csr_matrix(sp.diags(1.0 / norms) @ matrix)

    def transform(self, token_lists: Sequence[Sequence[str]]) -> sp.csr_matrix:
        """TF-IDF rows for other texts (needs) in this vocabulary; unknown terms are ignored."""
        docs, terms = [], []
        for d, tokens in enumerate(token_lists):
            for t in tokens:
                j = self.vocabulary.get(t)
                if j is not None:
                    docs.append(d)
                    terms.append(j)
        n = len(token_lists)
        if not docs:
            return sp.csr_matrix((n, len(self.idf)))
        keys, counts = np.unique(np.asarray(docs) * len(self.idf) + np.asarray(terms), return_counts=True)
        return self._weighted(keys // len(self.idf), keys % len(self.idf), counts, self.idf, n)


@dataclass(eq=False)
class PreparedIkms:
    """Everything derived from IKMs once, reused for every need: see the module docstring."""

    n: int
    ticked_p: np.ndarray
    prose_p: np.ndarray
    cap_p: np.ndarray
    sat_p: np.ndarray
    ticked_m: np.ndarray
    prose_m: np.ndarray
    cap_m: np.ndarray
    sat_m: np.ndarray
    certs_held: np.ndarray
    certs: np.ndarray
    capacity: np.ndarray
    sqrt_capacity: np.ndarray
    unit: np.ndarray
    has_geo: np.ndarray
    verified: np.ndarray
    linear: np.ndarray
    postings: sp.csr_matrix
    cert_mask: np.ndarray
    text: TextIndex


def prepare_ikms(ikms: IkmFeatures) -> PreparedIkms:
    """Derive the IKM-side arrays (text analysis, similarity expansion, index). Cached on ``ikms``."""
    if isinstance(ikms._prepared, PreparedIkms):
        return ikms._prepared
    n = len(ikms)
    prose_codes, tokens = _analyses(ikms.texts, ikms.prose_codes, ikms.text_tokens)
    prose_p = _code_matrix(prose_codes, PROCESS_INDEX, P)
    prose_m = _code_matrix(prose_codes, MATERIAL_INDEX, M)
    cap_p = np.maximum(ikms.processes, W.PROSE_DISCOUNT * prose_p)
    cap_m = np.maximum(ikms.materials, W.PROSE_DISCOUNT * prose_m)
    sat_p = _expand(cap_p, process_similarity_matrix())
    sat_m = _expand(cap_m, material_similarity_matrix())
    certs = ikms.valid_certifications().astype(np.float64)
    capacity = ikms.capacity_tons_month
    sqrt_capacity = np.where(capacity > 0, np.sqrt(np.where(capacity > 0, capacity, 1.0)), np.nan)
    unit, has_geo = _unit_vectors(ikms.latitude, ikms.longitude)
    verified = ikms.verified.astype(np.float64)
    linear = np.ascontiguousarray(np.hstack([sat_m, certs, verified[:, None]]))
    postings = sp.csr_matrix(np.vstack([sat_p.T, sat_m.T]) >= W.PRUNE_MIN_SATISFACTION, dtype=np.float64)
    prepared = PreparedIkms(
        n=n,
        ticked_p=ikms.processes,
        prose_p=prose_p,
        cap_p=cap_p,
        sat_p=sat_p,
        ticked_m=ikms.materials,
        prose_m=prose_m,
        cap_m=cap_m,
        sat_m=sat_m,
        certs_held=ikms.certifications,
        certs=certs,
        capacity=capacity,
        sqrt_capacity=sqrt_capacity,
        unit=unit,
        has_geo=has_geo,
        verified=verified,
        linear=linear,
        postings=postings,
        cert_mask=_bitmask(certs),
        text=TextIndex.build(tokens),
    )
    ikms._prepared = prepared
    return prepared


@dataclass(eq=False)
class PreparedNeeds:
    """Need-side arrays: normalised requirement weights, the linear row ``B``, queries, text rows."""

    m: int
    w_p: np.ndarray
    w_m: np.ndarray
    norm_p: np.ndarray
    norm_m: np.ndarray
    has_p: np.ndarray
    has_m: np.ndarray
    req: np.ndarray
    pref: np.ndarray
    n_req: np.ndarray
    n_pref: np.ndarray
    linear: np.ndarray
    constant: np.ndarray
    capacity_scale: np.ndarray
    unit: np.ndarray
    has_geo: np.ndarray
    query: sp.csr_matrix
    all_candidates: np.ndarray
    req_mask: np.ndarray
    text: sp.csr_matrix
    profile: np.ndarray
    buyer_ids: np.ndarray


def need_profile(w_p: np.ndarray, w_m: np.ndarray) -> np.ndarray:
    """Unit vector over (processes, materials) weights: what a need asks for, for need–need similarity."""
    profile = np.hstack([w_p, w_m]).astype(np.float64)
    norms = np.linalg.norm(profile, axis=-1, keepdims=True)
    return profile / np.where(norms > 0, norms, 1.0)


def requirement_weights(ticked: np.ndarray, prose: np.ndarray) -> np.ndarray:
    """Ticked requirements weigh 1; codes only in the need's prose weigh NEED_PROSE_WEIGHT · confidence."""
    return np.maximum(ticked, W.NEED_PROSE_WEIGHT * prose)


def prepare_needs(needs: NeedFeatures, text_index: TextIndex) -> PreparedNeeds:
    """Derive the need-side arrays (cheap: M is small next to N)."""
    m = len(needs)
    prose_codes, tokens = _analyses(needs.texts, needs.prose_codes, needs.text_tokens)
    w_p = requirement_weights(needs.processes, _code_matrix(prose_codes, PROCESS_INDEX, P))
    w_m = requirement_weights(needs.materials, _code_matrix(prose_codes, MATERIAL_INDEX, M))
    sum_p, sum_m = w_p.sum(axis=1), w_m.sum(axis=1)
    has_p, has_m = sum_p > 0, sum_m > 0
    norm_p = w_p / np.where(has_p, sum_p, 1.0)[:, None]
    norm_m = w_m / np.where(has_m, sum_m, 1.0)[:, None]
    req = needs.certifications_required.astype(np.float64)
    pref = needs.certifications_preferred.astype(np.float64)
    n_req, n_pref = req.sum(axis=1), pref.sum(axis=1)
    pref_norm = pref / np.where(n_pref > 0, n_pref, 1.0)[:, None]
    linear = np.hstack([W.MATERIAL * norm_m, W.CERT_PREFERRED * pref_norm, np.full((m, 1), W.VERIFIED)])
    constant = (
        W.PROCESS * W.PROCESS_NO_REQUIREMENT * ~has_p
        + W.MATERIAL * W.NO_REQUIREMENT * ~has_m
        + W.CERT_PREFERRED * W.NO_REQUIREMENT * (n_pref == 0)
    )
    qty = needs.quantity_tons_month
    capacity_scale = np.where(qty > 0, W.CAPACITY / np.sqrt(np.where(qty > 0, qty, 1.0)), np.nan)
    unit, has_geo = _unit_vectors(needs.latitude, needs.longitude)
    # Candidates are keyed on processes when the need names any, else on materials, else everything:
    # query · postings = the share of requirement weight the IKM plausibly holds.
    query_dense = np.hstack([norm_p, norm_m * ~has_p[:, None]])
    return PreparedNeeds(
        m=m,
        w_p=w_p,
        w_m=w_m,
        norm_p=norm_p,
        norm_m=norm_m,
        has_p=has_p,
        has_m=has_m,
        req=req,
        pref=pref,
        n_req=n_req,
        n_pref=n_pref,
        linear=np.ascontiguousarray(linear),
        constant=constant,
        capacity_scale=capacity_scale,
        unit=unit,
        has_geo=has_geo,
        query=sp.csr_matrix(query_dense),
        all_candidates=~(query_dense > 0).any(axis=1),
        req_mask=_bitmask(req),
        text=text_index.transform(tokens),
        profile=need_profile(w_p, w_m),
        buyer_ids=needs.buyer_ids,
    )


# --- results -------------------------------------------------------------------------------------------

#: Names of the per-candidate arrays in ``NeedResult.components``.
COMPONENT_NAMES: tuple[str, ...] = (
    "process",
    "material",
    "certification",
    "capacity",
    "distance",
    "verified",
    "text",
    "distance_km",
    "certifications_missing",
    "certification_factor",
    "dismissal_factor",
    "trust_boost",
)


@dataclass(frozen=True, slots=True)
class CodeMatch:
    """One requirement and how this IKM meets it.

    ``source``: ``ticked`` (box ticked), ``prose`` (found in the description), ``similar`` (via the related
    capability ``via``, itself ticked or from prose: ``via_source``), or ``missing``.
    """

    code: str
    satisfaction: float
    source: str
    via: str = ""
    via_source: str = ""

    @property
    def met(self) -> bool:
        return self.satisfaction >= MET_THRESHOLD


@dataclass(frozen=True)
class PairExplanation:
    """Everything needed to write the "why" for one (need, IKM) suggestion."""

    ikm_index: int
    score: float
    components: dict[str, float]
    processes: tuple[CodeMatch, ...]
    materials: tuple[CodeMatch, ...]
    certifications_met: tuple[str, ...]
    certifications_missing: tuple[str, ...]
    certifications_expired: tuple[str, ...]
    certifications_preferred_met: tuple[str, ...]

    @property
    def processes_met(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.processes if c.met)

    @property
    def processes_missing(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.processes if not c.met)

    @property
    def materials_met(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.materials if c.met)

    @property
    def materials_missing(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.materials if not c.met)


@dataclass(eq=False)
class NeedResult:
    """The ranked candidates of one need: ``ikm_indices[r]`` is rank ``r`` (0 = best)."""

    need_index: int
    ikm_indices: np.ndarray
    scores: np.ndarray
    components: dict[str, np.ndarray]
    n_candidates: int
    _context: _Context | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.ikm_indices)

    def explain(self, rank: int) -> PairExplanation:
        """Met and missing requirements of the candidate at ``rank``, with their sources."""
        if self._context is None:
            raise ValueError("this result carries no explanation context")
        return self._context.explain(
            self.need_index,
            int(self.ikm_indices[rank]),
            float(self.scores[rank]),
            {name: float(values[rank]) for name, values in self.components.items()},
        )


def _code_matches(
    weights: np.ndarray, ticked: np.ndarray, cap: np.ndarray, sim: np.ndarray, codes: Sequence[str]
) -> tuple[CodeMatch, ...]:
    out = []
    for q in np.flatnonzero(weights > 0):
        if ticked[q] > 0:
            out.append(CodeMatch(codes[q], float(ticked[q]), "ticked"))
            continue
        held = cap * sim[:, q]
        best = int(np.argmax(held))
        value = float(held[best])
        if value <= 0:
            out.append(CodeMatch(codes[q], 0.0, "missing"))
        elif best == q:
            out.append(CodeMatch(codes[q], value, "prose"))
        else:
            source = "ticked" if ticked[best] >= cap[best] else "prose"
            out.append(CodeMatch(codes[q], value, "similar", codes[best], source))
    return tuple(out)


@dataclass(eq=False)
class _Context:
    ikms: PreparedIkms
    needs: PreparedNeeds

    def explain(self, n: int, i: int, score: float, components: dict[str, float]) -> PairExplanation:
        ik, nd = self.ikms, self.needs
        req = np.flatnonzero(nd.req[n] > 0)
        met = [CERTIFICATION_CODES[c] for c in req if ik.certs[i, c] > 0]
        missing = [CERTIFICATION_CODES[c] for c in req if ik.certs[i, c] <= 0]
        expired = [CERTIFICATION_CODES[c] for c in req if ik.certs[i, c] <= 0 and ik.certs_held[i, c]]
        preferred = [CERTIFICATION_CODES[c] for c in np.flatnonzero(nd.pref[n] > 0) if ik.certs[i, c] > 0]
        return PairExplanation(
            ikm_index=i,
            score=score,
            components=components,
            processes=_code_matches(
                nd.w_p[n], ik.ticked_p[i], ik.cap_p[i], process_similarity_matrix(), PROCESS_CODES
            ),
            materials=_code_matches(
                nd.w_m[n], ik.ticked_m[i], ik.cap_m[i], material_similarity_matrix(), MATERIAL_CODES
            ),
            certifications_met=tuple(met),
            certifications_missing=tuple(missing),
            certifications_expired=tuple(expired),
            certifications_preferred_met=tuple(preferred),
        )


#: ``CodeMatch.source`` values by the codes :class:`ExplainedPairs` stores.
SOURCES: tuple[str, ...] = ("ticked", "prose", "similar", "missing")
_TICKED, _PROSE, _SIMILAR, _MISSING = range(4)


@dataclass(frozen=True, eq=False)
class CodeMatches:
    """:class:`CodeMatch` es of many pairs as flat arrays: pair ``j``'s are ``[bounds[j], bounds[j + 1])``.

    ``code`` and ``via`` are indices into the code list (``via`` −1 when not ``similar``); ``source`` and
    ``via_source`` index :data:`SOURCES`.
    """

    bounds: np.ndarray
    code: np.ndarray
    satisfaction: np.ndarray
    source: np.ndarray
    via: np.ndarray
    via_source: np.ndarray

    def matches(self, j: int, codes: Sequence[str]) -> tuple[CodeMatch, ...]:
        out = []
        for e in range(int(self.bounds[j]), int(self.bounds[j + 1])):
            source = int(self.source[e])
            if source == _SIMILAR:
                out.append(CodeMatch(codes[self.code[e]], float(self.satisfaction[e]), SOURCES[source],
                                     codes[self.via[e]], SOURCES[self.via_source[e]]))
            else:
                out.append(CodeMatch(codes[self.code[e]], float(self.satisfaction[e]), SOURCES[source]))
        return tuple(out)


def _code_matches_batch(
    weights: np.ndarray, ticked: np.ndarray, cap: np.ndarray, sim: np.ndarray, need_idx: np.ndarray,
    ikm_idx: np.ndarray,
) -> CodeMatches:
    """:func:`_code_matches` for many (need, IKM) pairs at once, with the same floats and tie-breaks."""
    pair, q = np.nonzero(weights[need_idx] > 0)  # pair-major, codes ascending: the per-pair order
    i = ikm_idx[pair]
    t = ticked[i, q]
    held = cap[i] * sim[:, q].T  # held[e, c] = cap[i, c] · S[c, q], as the per-pair loop multiplies
    best = np.argmax(held, axis=1) if held.shape[1] else np.zeros(len(q), dtype=np.int64)
    value = held[np.arange(len(q)), best] if held.shape[1] else np.zeros(len(q))
    source = np.where(t > 0, _TICKED, np.where(value <= 0, _MISSING, np.where(best == q, _PROSE, _SIMILAR)))
    satisfaction = np.where(t > 0, t, np.where(value <= 0, 0.0, value))
    via = np.where(source == _SIMILAR, best, -1)
    via_source = np.where(ticked[i, best] >= cap[i, best], _TICKED, _PROSE)
    bounds = np.zeros(len(need_idx) + 1, dtype=np.int64)
    np.cumsum(np.bincount(pair, minlength=len(need_idx)), out=bounds[1:])
    return CodeMatches(bounds, q, satisfaction, source, via, via_source)


@dataclass(frozen=True, eq=False)
class ExplainedPairs:
    """The explanations of every ranked pair of some results, as arrays (one vectorised pass).

    Pair ``j`` is rank ``rank[j]`` of need ``need_index[j]``; results follow each other in the order given,
    ranks ascending. ``components`` are the results' arrays concatenated; the ``certifications_*`` masks
    are pairs × C in code order. :meth:`explanation` gives what :meth:`NeedResult.explain` gives.
    """

    need_index: np.ndarray
    ikm_index: np.ndarray
    rank: np.ndarray
    scores: np.ndarray
    components: dict[str, np.ndarray]
    processes: CodeMatches
    materials: CodeMatches
    certifications_met: np.ndarray
    certifications_missing: np.ndarray
    certifications_expired: np.ndarray
    certifications_preferred_met: np.ndarray

    def __len__(self) -> int:
        return len(self.ikm_index)

    def explanation(self, j: int) -> PairExplanation:
        def codes(mask: np.ndarray) -> tuple[str, ...]:
            return tuple(CERTIFICATION_CODES[c] for c in np.flatnonzero(mask[j]))

        return PairExplanation(
            ikm_index=int(self.ikm_index[j]),
            score=float(self.scores[j]),
            components={name: float(values[j]) for name, values in self.components.items()},
            processes=self.processes.matches(j, PROCESS_CODES),
            materials=self.materials.matches(j, MATERIAL_CODES),
            certifications_met=codes(self.certifications_met),
            certifications_missing=codes(self.certifications_missing),
            certifications_expired=codes(self.certifications_expired),
            certifications_preferred_met=codes(self.certifications_preferred_met),
        )


def explain_results(results: Sequence[NeedResult]) -> ExplainedPairs:
    """Explain every ranked pair of ``results`` (from one scoring call) at once: see :class:`ExplainedPairs`.

    Equal, pair for pair, to calling :meth:`NeedResult.explain` on each rank, without the per-pair Python.
    """
    contexts = {id(r._context) for r in results if len(r)}
    if len(contexts) > 1:
        raise ValueError("results of different scoring calls")
    context = next((r._context for r in results if len(r)), None)
    lengths = np.array([len(r) for r in results], dtype=np.int64)
    need_idx = np.repeat(np.array([r.need_index for r in results], dtype=np.int64), lengths)
    ikm_idx = (np.concatenate([np.asarray(r.ikm_indices, dtype=np.int64) for r in results])
               if len(results) else np.zeros(0, dtype=np.int64))
    rank = np.concatenate([np.arange(n) for n in lengths]) if len(results) else np.zeros(0, dtype=np.int64)
    scores = np.concatenate([r.scores for r in results]) if len(results) else np.zeros(0)
    components = {
        name: (np.concatenate([r.components[name] for r in results]) if len(results) else np.zeros(0))
        for name in COMPONENT_NAMES
    }
    if context is None:
        if len(ikm_idx):
            raise ValueError("these results carry no explanation context")
        empty_matches = CodeMatches(np.zeros(1, dtype=np.int64), *(np.zeros(0, dtype=np.int64),) * 5)
        empty = np.zeros((0, C), dtype=bool)
        return ExplainedPairs(need_idx, ikm_idx, rank, scores, components, empty_matches, empty_matches,
                              empty, empty, empty, empty)
    ik, nd = context.ikms, context.needs
    valid = ik.certs[ikm_idx] > 0
    req = nd.req[need_idx] > 0
    missing = req & ~valid
    return ExplainedPairs(
        need_index=need_idx,
        ikm_index=ikm_idx,
        rank=rank,
        scores=scores,
        components=components,
        processes=_code_matches_batch(
            nd.w_p, ik.ticked_p, ik.cap_p, process_similarity_matrix(), need_idx, ikm_idx
        ),
        materials=_code_matches_batch(
            nd.w_m, ik.ticked_m, ik.cap_m, material_similarity_matrix(), need_idx, ikm_idx
        ),
        certifications_met=req & valid,
        certifications_missing=missing,
        certifications_expired=missing & ik.certs_held[ikm_idx],
        certifications_preferred_met=(nd.pref[need_idx] > 0) & valid,
    )


# --- feedback ------------------------------------------------------------------------------------------


@dataclass(eq=False)
class _FeedbackIndex:
    """Feedback grouped by buyer: dismissed IKMs with the profile of the need they were dismissed on."""

    dismissed: dict[int, tuple[np.ndarray, np.ndarray]]
    boosts: dict[int, tuple[np.ndarray, np.ndarray]]

    @classmethod
    def build(cls, feedback: Feedback | None, needs: PreparedNeeds) -> _FeedbackIndex:
        dismissed: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        boosts: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        if not feedback:
            return cls(dismissed, boosts)
        by_buyer: dict[int, list[Dismissal]] = defaultdict(list)
        for d in feedback.dismissals:
            by_buyer[int(d.buyer_id)].append(d)
        for buyer, items in by_buyer.items():
            profiles = np.vstack([dismissed_profile(d, needs) for d in items])
            dismissed[buyer] = (np.array([d.ikm_index for d in items], dtype=np.int64), profiles)
        strength: dict[tuple[int, int], float] = defaultdict(float)
        for b in feedback.boosts:
            strength[(int(b.buyer_id), int(b.ikm_index))] += float(b.strength)
        per_buyer: dict[int, list[tuple[int, float]]] = defaultdict(list)
        for (buyer, ikm), s in strength.items():
            per_buyer[buyer].append((ikm, min(W.TRUST_BOOST_MAX, W.TRUST_BOOST_PER_UNIT * s)))
        for buyer, pairs in per_buyer.items():
            boosts[buyer] = (np.array([p[0] for p in pairs], dtype=np.int64), np.array([p[1] for p in pairs]))
        return cls(dismissed, boosts)


def dismissed_profile(d: Dismissal, needs: PreparedNeeds) -> np.ndarray:
    """The profile of the need a dismissal was made on (current need, or its codes and text)."""
    if d.need_index is not None:
        return needs.profile[d.need_index]
    prose = analyse(d.text).codes if d.text else {}
    ticked_p = np.zeros(P)
    ticked_m = np.zeros(M)
    for code in d.processes:
        ticked_p[PROCESS_INDEX[code]] = 1.0
    for code in d.materials:
        ticked_m[MATERIAL_INDEX[code]] = 1.0
    w_p = requirement_weights(ticked_p, _code_matrix([prose], PROCESS_INDEX, P)[0])
    w_m = requirement_weights(ticked_m, _code_matrix([prose], MATERIAL_INDEX, M)[0])
    return need_profile(w_p, w_m)


def feedback_factors(
    fb: _FeedbackIndex, buyer: int, profile: np.ndarray, posmap: np.ndarray, size: int
) -> tuple[np.ndarray, np.ndarray] | None:
    """Dismissal factor and trust boost of one need (its buyer and profile) over ``size`` positions.

    ``posmap`` maps an IKM index to its position (−1 = not among them). None when nothing applies.
    """
    if buyer not in fb.dismissed and buyer not in fb.boosts:
        return None
    factor = np.ones(size)
    boost = np.zeros(size)
    if buyer in fb.dismissed:
        ikms, profiles = fb.dismissed[buyer]
        sims = profiles @ profile
        positions = posmap[ikms]
        hit = (sims >= W.DISMISS_MIN_SIMILARITY) & (positions >= 0)
        np.multiply.at(factor, positions[hit], 1.0 - W.DISMISS_PENALTY * sims[hit])
    if buyer in fb.boosts:
        ikms, values = fb.boosts[buyer]
        positions = posmap[ikms]
        hit = positions >= 0
        np.add.at(boost, positions[hit], values[hit])
    return factor, boost


# --- scoring -------------------------------------------------------------------------------------------


def _distance_km(dot: np.ndarray) -> np.ndarray:
    """Great-circle distance from the dot product of unit vectors: 2R·asin(sqrt((1 − dot)/2)), in place."""
    x = dot
    np.subtract(1.0, x, out=x)
    x *= 0.5
    np.maximum(x, 0.0, out=x)  # rounding can push identical points a hair below zero
    np.minimum(x, 1.0, out=x)
    np.sqrt(x, out=x)
    np.arcsin(x, out=x)
    x *= 2.0 * W.EARTH_RADIUS_KM
    return x


def _order_needs(needs: PreparedNeeds, rows: np.ndarray | None = None) -> np.ndarray:
    """Needs asking for the same codes go together, so a block's candidate union stays small.

    Returns need indices: all needs, or those of ``rows``, reordered.
    """
    if rows is None:
        rows = np.arange(needs.m)
        pattern = needs.query.toarray() > 0
    else:
        pattern = needs.query[rows].toarray() > 0
    if pattern.shape[1] == 0 or len(rows) == 0:
        return rows
    return rows[np.lexsort(pattern.T[::-1])]


def candidate_needs(ik: PreparedIkms, nd: PreparedNeeds) -> np.ndarray:
    """Indices (ascending) of the needs for which at least one of these IKMs is a candidate.

    The inverted index read the other way round: ``query @ postings`` over the (few) IKMs given. Scoring
    only these rows (:func:`score_prepared`) returns every non-empty result scoring all needs would; the
    threshold is a hair looser than :func:`candidates`' so a rounding difference cannot drop a need.
    """
    if ik.n == 0 or nd.m == 0:
        return np.zeros(0, dtype=np.int64)
    share = (nd.query @ ik.postings).tocsr()
    share.data[share.data < W.PRUNE_MIN_COVERAGE - 1e-6] = 0.0
    share.eliminate_zeros()
    return np.flatnonzero((np.diff(share.indptr) > 0) | nd.all_candidates).astype(np.int64)


def candidates(ik: PreparedIkms, nd: PreparedNeeds, rows: np.ndarray) -> tuple[sp.csr_matrix, np.ndarray]:
    """The candidate IKMs of each need in ``rows``, as (distinct × N sparse, row → distinct index).

    Needs asking for exactly the same thing have the same candidates, so each distinct query is computed
    once; entries hold the share of the requirement weight the IKM plausibly holds. Needs naming no code
    have an empty row here; ``nd.all_candidates`` marks them (everyone is a candidate).
    """
    distinct, inverse = np.unique(nd.query[rows].toarray(), axis=0, return_inverse=True)
    share = (sp.csr_matrix(distinct) @ ik.postings).tocsr()
    share.data[share.data < W.PRUNE_MIN_COVERAGE - 1e-9] = 0.0
    share.eliminate_zeros()
    return share, inverse.ravel()


def _blocks(counts: np.ndarray, budget: int) -> list[tuple[int, int]]:
    """Cut consecutive rows into blocks whose (rows × largest candidate count) stays within budget."""
    out, lo, widest = [], 0, 0
    for r, n in enumerate(counts):
        widest_next = max(widest, int(n))
        if r > lo and (r - lo + 1) * widest_next > budget:
            out.append((lo, r))
            lo, widest_next = r, int(n)
        widest = widest_next
    if lo < len(counts):
        out.append((lo, len(counts)))
    return out


def score_pairs(
    ikms: IkmFeatures,
    needs: NeedFeatures,
    *,
    top_k: int = 20,
    feedback: Feedback | None = None,
    chunk_size: int | None = None,
) -> list[NeedResult]:
    """Rank IKMs for every need; one :class:`NeedResult` per need, in need order.

    ``chunk_size`` is how many needs get their candidates generated together (default: what keeps that
    sparse matrix under ``CANDIDATE_ELEMENTS``); each chunk is then scored in dense blocks of at most
    ``BLOCK_ELEMENTS`` pairs. Results do not depend on either. Pure: no I/O, no clock (unless certificate
    expiry is given without a reference date, see :meth:`IkmFeatures.valid_certifications`).
    """
    _check_arguments(len(ikms), top_k)
    ik = prepare_ikms(ikms)
    nd = prepare_needs(needs, ik.text)
    return score_prepared(ik, nd, top_k=top_k, feedback=feedback, chunk_size=chunk_size)


def _check_arguments(n_ikms: int, top_k: int) -> None:
    if top_k < 1:
        raise ValueError("top_k must be at least 1")
    if n_ikms * _TIE_EPS * 2 >= 10.0**-W.SCORE_DECIMALS:
        raise ValueError("too many IKMs for the tie-break resolution")


def score_prepared(
    ik: PreparedIkms,
    nd: PreparedNeeds,
    rows: Sequence[int] | np.ndarray | None = None,
    *,
    top_k: int = 20,
    feedback: Feedback | None = None,
    chunk_size: int | None = None,
) -> list[NeedResult]:
    """:func:`score_pairs` on already prepared sides, for all needs or only the need indices ``rows``.

    One :class:`NeedResult` per need scored, in need order (all needs) or in the order of ``rows``. A
    result does not depend on which other needs are scored with it (feedback indices refer to ``nd``),
    so a caller holding prepared needs can score a few IKMs against :func:`candidate_needs` only.
    """
    _check_arguments(ik.n, top_k)
    fb = _FeedbackIndex.build(feedback, nd)
    context = _Context(ik, nd)
    results: list[NeedResult | None] = [None] * nd.m
    if chunk_size is None:
        chunk_size = max(1, min(1024, CANDIDATE_ELEMENTS // max(ik.n, 1)))
    wanted = None if rows is None else np.asarray(rows, dtype=np.int64).reshape(-1)
    order = _order_needs(nd, None if wanted is None else np.unique(wanted))
    with single_threaded_blas():
        for start in range(0, len(order), chunk_size):
            rows = order[start : start + chunk_size]
            cand, inverse = candidates(ik, nd, rows)
            counts = np.where(nd.all_candidates[rows], ik.n, np.diff(cand.indptr)[inverse])
            for lo, hi in _blocks(counts, BLOCK_ELEMENTS):
                block_rows = rows[lo:hi]
                for result in _score_block(ik, nd, fb, block_rows, cand, inverse[lo:hi], top_k, context):
                    results[result.need_index] = result
    if wanted is not None:
        return [results[int(n)] for n in wanted]  # type: ignore[misc]
    return results  # type: ignore[return-value]


def _score_block(
    ik: PreparedIkms,
    nd: PreparedNeeds,
    fb: _FeedbackIndex,
    rows: np.ndarray,
    cand: sp.csr_matrix,
    inverse: np.ndarray,
    top_k: int,
    context: _Context,
) -> list[NeedResult]:
    """Score one dense block: ``rows`` needs × the union of their candidates. See the module docstring.

    ``cand`` holds the distinct candidate sets, ``inverse`` says which one each row uses.
    """
    c = len(rows)
    everything = nd.all_candidates[rows]
    used, local = np.unique(inverse, return_inverse=True)
    cand = cand[used]
    if everything.any():
        union = np.arange(ik.n)
    else:
        flag = np.zeros(ik.n, dtype=bool)
        flag[cand.indices] = True
        union = np.flatnonzero(flag)
    u = len(union)
    if u == 0:
        return [_empty(int(r), context) for r in rows]
    posmap = np.full(ik.n, -1, dtype=np.int64)
    posmap[union] = np.arange(u)

    # Process coverage (one product), made convex; then the linear components in one product.
    block = nd.norm_p[rows] @ ik.sat_p[union].T
    if W.PROCESS_EXPONENT == 2.0:
        np.square(block, out=block)
    elif W.PROCESS_EXPONENT != 1.0:
        np.power(block, W.PROCESS_EXPONENT, out=block)
    block *= W.PROCESS
    block += nd.linear[rows] @ ik.linear[union].T
    block += nd.constant[rows][:, None]

    # Capacity: min(CAPACITY, CAPACITY/sqrt(qty) · sqrt(cap)); unknown on either side → neutral.
    part = np.multiply.outer(nd.capacity_scale[rows], ik.sqrt_capacity[union])
    np.minimum(part, W.CAPACITY, out=part)
    neutral = W.CAPACITY * W.CAPACITY_UNKNOWN
    part[:, np.isnan(ik.sqrt_capacity[union])] = neutral
    part[np.isnan(nd.capacity_scale[rows]), :] = neutral
    block += part

    # Distance: unit-vector dot products, great-circle km, then DISTANCE / (1 + km / half).
    np.matmul(nd.unit[rows], ik.unit[union].T, out=part)
    _distance_km(part)
    part *= 1.0 / W.DISTANCE_HALF_KM
    part += 1.0
    np.divide(W.DISTANCE, part, out=part)
    neutral = W.DISTANCE * W.DISTANCE_UNKNOWN
    part[:, ~ik.has_geo[union]] = neutral
    part[~nd.has_geo[rows], :] = neutral
    block += part
    del part

    # Text: sparse product with the union's rows only, spread into a dense block (kept for the components).
    # (union × terms) @ (terms × needs): only the small need side changes sparse format.
    text = (ik.text.matrix[union] @ nd.text[rows].T).tocoo()
    similarity = np.zeros((c, u))
    similarity.reshape(-1)[text.col.astype(np.int64) * u + text.row] = text.data
    block += W.TEXT * similarity

    # Required certificates gate multiplicatively (table lookup on bit masks).
    gated = np.flatnonzero(nd.n_req[rows] > 0)
    if len(gated):
        gate = _GATE[nd.req_mask[rows[gated]]][:, ik.cert_mask[union]]
        if len(gated) == c:
            block *= gate
        else:
            block[gated] *= gate

    # Buyer feedback on the (few) affected pairs.
    feedback_rows: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    if fb.dismissed or fb.boosts:
        for r, n in enumerate(rows):
            adjust = feedback_factors(fb, int(nd.buyer_ids[n]), nd.profile[n], posmap, u)
            if adjust is not None:
                block[r] *= adjust[0]
                block[r] += adjust[1]
                feedback_rows[r] = adjust

    if fb.boosts:  # every other factor keeps the score within [0, 1]
        np.minimum(block, 1.0, out=block)
    np.round(block, W.SCORE_DECIMALS, out=block)

    # Non-candidates out; tie-break on IKM index below the rounding grid; top-k per need.
    block -= union * _TIE_EPS
    sizes = np.diff(cand.indptr)
    n_candidates = np.where(everything, u, sizes[local])
    if not np.all(n_candidates == u):  # else every row's candidates are the whole union (same query)
        excluded_distinct = np.ones((len(used), u), dtype=bool)
        cand_rows = np.repeat(np.arange(len(used), dtype=np.int64), sizes)
        excluded_distinct.reshape(-1)[cand_rows * u + posmap[cand.indices]] = False
        excluded = excluded_distinct[local]
        excluded[everything] = False
        np.copyto(block, -1.0, where=excluded)
        del excluded, excluded_distinct
    k = min(top_k, u)
    top = np.argpartition(block, u - k, axis=1)[:, u - k :]
    keys = np.take_along_axis(block, top, axis=1)
    order = np.argsort(-keys, axis=1)
    top = np.take_along_axis(top, order, axis=1)
    keys = np.take_along_axis(keys, order, axis=1)
    del block

    valid = (keys > -0.5).ravel()
    sel_rows = np.repeat(np.arange(c), k)[valid]
    sel_pos = top.ravel()[valid]
    sel_ikms = union[sel_pos]
    scores = np.round(keys.ravel()[valid] + sel_ikms * _TIE_EPS, W.SCORE_DECIMALS)
    factor, boost = np.ones(len(sel_pos)), np.zeros(len(sel_pos))
    for r, (row_factor, row_boost) in feedback_rows.items():
        mine = sel_rows == r
        factor[mine], boost[mine] = row_factor[sel_pos[mine]], row_boost[sel_pos[mine]]
    comps = pair_components(
        ik,
        nd,
        rows[sel_rows],
        sel_ikms,
        text=similarity[sel_rows, sel_pos],
        dismissal_factor=factor,
        trust_boost=boost,
    )
    bounds = np.concatenate([[0], np.cumsum(valid.reshape(c, k).sum(axis=1))])
    out = []
    for r, n in enumerate(rows):
        lo, hi = bounds[r], bounds[r + 1]
        out.append(
            NeedResult(
                need_index=int(n),
                ikm_indices=sel_ikms[lo:hi],
                scores=scores[lo:hi],
                components={name: values[lo:hi] for name, values in comps.items()},
                n_candidates=int(n_candidates[r]),
                _context=context,
            )
        )
    return out


def _empty(n: int, context: _Context) -> NeedResult:
    return NeedResult(
        need_index=n,
        ikm_indices=np.zeros(0, dtype=np.int64),
        scores=np.zeros(0),
        components={name: np.zeros(0) for name in COMPONENT_NAMES},
        n_candidates=0,
        _context=context,
    )


def pair_components(
    ik: PreparedIkms,
    nd: PreparedNeeds,
    need_idx: np.ndarray,
    ikm_idx: np.ndarray,
    *,
    text: np.ndarray | None = None,
    dismissal_factor: np.ndarray | None = None,
    trust_boost: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Each component for explicit (need, IKM) pairs, vectorised; used for the selected top-k.

    ``text`` may carry the similarities already computed for these pairs; the feedback arrays come from
    the block (1 and 0 when absent).
    """
    coverage = np.einsum("ij,ij->i", ik.sat_p[ikm_idx], nd.norm_p[need_idx])
    process = np.where(nd.has_p[need_idx], coverage**W.PROCESS_EXPONENT, W.PROCESS_NO_REQUIREMENT)
    material = np.einsum("ij,ij->i", ik.sat_m[ikm_idx], nd.norm_m[need_idx])
    material = np.where(nd.has_m[need_idx], material, W.NO_REQUIREMENT)
    n_pref = nd.n_pref[need_idx]
    pref_held = np.einsum("ij,ij->i", ik.certs[ikm_idx], nd.pref[need_idx])
    certification = np.where(n_pref > 0, pref_held / np.where(n_pref > 0, n_pref, 1.0), W.NO_REQUIREMENT)
    missing = nd.n_req[need_idx] - np.einsum("ij,ij->i", ik.certs[ikm_idx], nd.req[need_idx])
    qty_scale = nd.capacity_scale[need_idx] / W.CAPACITY  # 1/sqrt(qty)
    capacity = np.minimum(1.0, qty_scale * ik.sqrt_capacity[ikm_idx])
    capacity = np.where(np.isnan(capacity), W.CAPACITY_UNKNOWN, capacity)
    geo = nd.has_geo[need_idx] & ik.has_geo[ikm_idx]
    km = _distance_km(np.einsum("ij,ij->i", nd.unit[need_idx], ik.unit[ikm_idx]))
    km = np.where(geo, km, np.nan)
    distance = np.where(geo, 1.0 / (1.0 + np.nan_to_num(km) / W.DISTANCE_HALF_KM), W.DISTANCE_UNKNOWN)
    if text is None:
        text = np.asarray(nd.text[need_idx].multiply(ik.text.matrix[ikm_idx]).sum(axis=1)).ravel()
    factor = np.ones(len(need_idx)) if dismissal_factor is None else dismissal_factor
    boost = np.zeros(len(need_idx)) if trust_boost is None else trust_boost
    return {
        "process": process,
        "material": material,
        "certification": certification,
        "capacity": capacity,
        "distance": distance,
        "verified": ik.verified[ikm_idx],
        "text": text,
        "distance_km": km,
        "certifications_missing": missing,
        "certification_factor": np.power(W.CERT_MISSING_FACTOR, np.rint(missing)),
        "dismissal_factor": factor,
        "trust_boost": boost,
    }
