"""Plain-data inputs of the scorer: IKMs, needs and buyer feedback as numpy arrays.

The service layer loads these with one query per table and hands them over; nothing here knows about
the ORM. Matrices are indexed by the code order of :mod:`taxonomy` (``PROCESS_CODES`` etc.). The
``build_*`` helpers turn per-row code lists (what a queryset gives) into those matrices.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import scipy.sparse as sp

from matchmaking.scoring.taxonomy import (
    CERTIFICATION_CODES,
    CERTIFICATION_INDEX,
    MATERIAL_CODES,
    MATERIAL_INDEX,
    PROCESS_CODES,
    PROCESS_INDEX,
)

P, M, C = len(PROCESS_CODES), len(MATERIAL_CODES), len(CERTIFICATION_CODES)


def _dense(matrix: np.ndarray | sp.spmatrix | sp.sparray, rows: int, cols: int, name: str) -> np.ndarray:
    """Accept dense or scipy.sparse input; P, M and C are small, so dense float64 is the working form."""
    out = matrix.toarray() if sp.issparse(matrix) else np.asarray(matrix)
    out = out.astype(np.float64, copy=False)
    if out.shape != (rows, cols):
        raise ValueError(f"{name} must have shape {(rows, cols)}, got {out.shape}")
    if out.size and (out.min() < 0.0 or out.max() > 1.0):
        raise ValueError(f"{name} values must be in [0, 1]")
    return out


def _vector(values: Sequence[float] | np.ndarray | None, n: int, name: str, fill: float) -> np.ndarray:
    if values is None:
        return np.full(n, fill, dtype=np.float64)
    out = np.asarray(values, dtype=np.float64)
    if out.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},), got {out.shape}")
    return out


def _texts(texts: Sequence[str] | None, n: int) -> list[str]:
    if texts is None:
        return [""] * n
    if len(texts) != n:
        raise ValueError(f"texts must have {n} entries, got {len(texts)}")
    return list(texts)


@dataclass(eq=False)
class IkmFeatures:
    """N IKMs.

    ``certifications`` are certificates *held*; when ``certification_expiry`` (N×C ``datetime64[D]``, NaT =
    no expiry) is given, a certificate counts only while ``expiry >= reference_date``, so a caller may pass
    everything it has and let the scorer drop expired ones. ``texts`` is description + products + machines,
    concatenated. ``prose_codes`` / ``text_tokens`` may carry a cached :func:`text.analyse` result per IKM
    (the text analysis is the costly part and only changes when the profile does).
    """

    processes: np.ndarray
    materials: np.ndarray
    certifications: np.ndarray
    capacity_tons_month: np.ndarray | None = None
    latitude: np.ndarray | None = None
    longitude: np.ndarray | None = None
    verified: np.ndarray | None = None
    texts: Sequence[str] | None = None
    certification_expiry: np.ndarray | None = None
    reference_date: date | None = None
    prose_codes: Sequence[Mapping[str, float]] | None = None
    text_tokens: Sequence[Sequence[str]] | None = None
    ids: Sequence[object] | None = None
    _prepared: object = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        n = np.shape(self.processes)[0]
        self.processes = _dense(self.processes, n, P, "processes")
        self.materials = _dense(self.materials, n, M, "materials")
        self.certifications = _dense(self.certifications, n, C, "certifications") > 0
        self.capacity_tons_month = _vector(self.capacity_tons_month, n, "capacity_tons_month", np.nan)
        self.latitude = _vector(self.latitude, n, "latitude", np.nan)
        self.longitude = _vector(self.longitude, n, "longitude", np.nan)
        self.verified = _vector(self.verified, n, "verified", 0.0) > 0
        self.texts = _texts(self.texts, n)
        if self.certification_expiry is not None:
            expiry = np.asarray(self.certification_expiry, dtype="datetime64[D]")
            if expiry.shape != (n, C):
                raise ValueError(f"certification_expiry must have shape {(n, C)}, got {expiry.shape}")
            self.certification_expiry = expiry
        for name in ("prose_codes", "text_tokens", "ids"):
            value = getattr(self, name)
            if value is not None and len(value) != n:
                raise ValueError(f"{name} must have {n} entries")

    def __len__(self) -> int:
        return self.processes.shape[0]

    def valid_certifications(self) -> np.ndarray:
        """N×C bool: held and not expired on ``reference_date`` (today when not given)."""
        if self.certification_expiry is None:
            return self.certifications
        reference = np.datetime64(self.reference_date or date.today(), "D")
        expiry = self.certification_expiry
        return self.certifications & (np.isnat(expiry) | (expiry >= reference))


@dataclass(eq=False)
class NeedFeatures:
    """M buyer needs. ``processes``/``materials`` are requirement weights in [0, 1] (ticked = 1).

    A certificate both required and preferred counts as required. ``buyer_ids`` identify the buyer
    organisation (feedback is per buyer).
    """

    processes: np.ndarray
    materials: np.ndarray
    certifications_required: np.ndarray
    certifications_preferred: np.ndarray | None = None
    quantity_tons_month: np.ndarray | None = None
    latitude: np.ndarray | None = None
    longitude: np.ndarray | None = None
    buyer_ids: np.ndarray | None = None
    texts: Sequence[str] | None = None
    prose_codes: Sequence[Mapping[str, float]] | None = None
    text_tokens: Sequence[Sequence[str]] | None = None
    ids: Sequence[object] | None = None

    def __post_init__(self) -> None:
        m = np.shape(self.processes)[0]
        self.processes = _dense(self.processes, m, P, "processes")
        self.materials = _dense(self.materials, m, M, "materials")
        self.certifications_required = (
            _dense(self.certifications_required, m, C, "certifications_required") > 0
        )
        preferred = (
            np.zeros((m, C)) if self.certifications_preferred is None else self.certifications_preferred
        )
        self.certifications_preferred = (
            _dense(preferred, m, C, "certifications_preferred") > 0
        ) & ~self.certifications_required
        self.quantity_tons_month = _vector(self.quantity_tons_month, m, "quantity_tons_month", np.nan)
        self.latitude = _vector(self.latitude, m, "latitude", np.nan)
        self.longitude = _vector(self.longitude, m, "longitude", np.nan)
        buyers = np.zeros(m, dtype=np.int64) if self.buyer_ids is None else np.asarray(self.buyer_ids)
        if buyers.shape != (m,):
            raise ValueError(f"buyer_ids must have shape ({m},)")
        self.buyer_ids = buyers.astype(np.int64)
        self.texts = _texts(self.texts, m)
        for name in ("prose_codes", "text_tokens", "ids"):
            value = getattr(self, name)
            if value is not None and len(value) != m:
                raise ValueError(f"{name} must have {m} entries")

    def __len__(self) -> int:
        return self.processes.shape[0]

    def subset(self, indices: Sequence[int] | np.ndarray) -> NeedFeatures:
        """The needs at ``indices``, in that order (for sampling in benchmarks)."""
        idx = np.asarray(indices, dtype=np.int64)

        def pick(seq: Sequence | None) -> list | None:
            return None if seq is None else [seq[i] for i in idx]

        return NeedFeatures(
            processes=self.processes[idx],
            materials=self.materials[idx],
            certifications_required=self.certifications_required[idx],
            certifications_preferred=self.certifications_preferred[idx],
            quantity_tons_month=self.quantity_tons_month[idx],
            latitude=self.latitude[idx],
            longitude=self.longitude[idx],
            buyer_ids=self.buyer_ids[idx],
            texts=pick(self.texts),
            prose_codes=pick(self.prose_codes),
            text_tokens=pick(self.text_tokens),
            ids=pick(self.ids),
        )


@dataclass(frozen=True, slots=True)
class Dismissal:
    """A buyer marked (IKM, need) "not relevant".

    The dismissed need is given either as ``need_index`` into the :class:`NeedFeatures` being scored, or
    (for a need that is closed or not in this batch) by its ``processes``/``materials`` codes and/or its
    ``text``. The penalty applies to this buyer's needs that resemble it, never to other buyers.
    """

    buyer_id: int
    ikm_index: int
    need_index: int | None = None
    processes: tuple[str, ...] = ()
    materials: tuple[str, ...] = ()
    text: str = ""


@dataclass(frozen=True, slots=True)
class TrustBoost:
    """A positive signal between a buyer and an IKM: 1 = mutual interest, 2 = an active partnership."""

    buyer_id: int
    ikm_index: int
    strength: float = 1.0


@dataclass(frozen=True)
class Feedback:
    """Buyer feedback to apply on top of the base score."""

    dismissals: Sequence[Dismissal] = ()
    boosts: Sequence[TrustBoost] = ()

    def __bool__(self) -> bool:
        return bool(self.dismissals) or bool(self.boosts)


# --- builders from per-row code lists -------------------------------------------------------------------


def codes_matrix(rows: Sequence[Iterable[str]], index: Mapping[str, int]) -> np.ndarray:
    """len(rows)×len(index) 0/1 matrix; unknown codes raise (the vocabulary is a contract)."""
    out = np.zeros((len(rows), len(index)), dtype=np.float64)
    for r, codes in enumerate(rows):
        for code in codes:
            try:
                out[r, index[code]] = 1.0
            except KeyError:
                raise ValueError(f"unknown code {code!r}") from None
    return out


def build_ikm_features(
    *,
    processes: Sequence[Iterable[str]],
    materials: Sequence[Iterable[str]] | None = None,
    certifications: Sequence[Iterable[str] | Mapping[str, date | None]] | None = None,
    capacity_tons_month: Sequence[float | None] | None = None,
    coordinates: Sequence[tuple[float, float] | None] | None = None,
    verified: Sequence[bool] | None = None,
    texts: Sequence[str] | None = None,
    reference_date: date | None = None,
    ids: Sequence[object] | None = None,
) -> IkmFeatures:
    """IkmFeatures from code lists. A certification entry may map code → expiry date (None = no expiry)."""
    n = len(processes)
    certs = certifications if certifications is not None else [()] * n
    held = np.zeros((n, C), dtype=bool)
    expiry = np.full((n, C), np.datetime64("NaT"), dtype="datetime64[D]")
    any_expiry = False
    for r, entry in enumerate(certs):
        items = entry.items() if isinstance(entry, Mapping) else ((code, None) for code in entry)
        for code, until in items:
            if code not in CERTIFICATION_INDEX:
                raise ValueError(f"unknown certification {code!r}")
            held[r, CERTIFICATION_INDEX[code]] = True
            if until is not None:
                expiry[r, CERTIFICATION_INDEX[code]] = np.datetime64(until, "D")
                any_expiry = True
    return IkmFeatures(
        processes=codes_matrix(processes, PROCESS_INDEX),
        materials=codes_matrix(materials if materials is not None else [()] * n, MATERIAL_INDEX),
        certifications=held,
        capacity_tons_month=_optional_floats(capacity_tons_month, n),
        latitude=_coordinate(coordinates, n, 0),
        longitude=_coordinate(coordinates, n, 1),
        verified=None if verified is None else np.asarray(verified, dtype=bool),
        texts=texts,
        certification_expiry=expiry if any_expiry else None,
        reference_date=reference_date,
        ids=ids,
    )


def build_need_features(
    *,
    processes: Sequence[Iterable[str]],
    materials: Sequence[Iterable[str]] | None = None,
    certifications_required: Sequence[Iterable[str]] | None = None,
    certifications_preferred: Sequence[Iterable[str]] | None = None,
    quantity_tons_month: Sequence[float | None] | None = None,
    coordinates: Sequence[tuple[float, float] | None] | None = None,
    buyer_ids: Sequence[int] | None = None,
    texts: Sequence[str] | None = None,
    ids: Sequence[object] | None = None,
) -> NeedFeatures:
    """NeedFeatures from code lists (ticked requirements weigh 1)."""
    m = len(processes)
    empty = [()] * m
    return NeedFeatures(
        processes=codes_matrix(processes, PROCESS_INDEX),
        materials=codes_matrix(materials if materials is not None else empty, MATERIAL_INDEX),
        certifications_required=codes_matrix(
            certifications_required if certifications_required is not None else empty, CERTIFICATION_INDEX
        ),
        certifications_preferred=codes_matrix(
            certifications_preferred if certifications_preferred is not None else empty, CERTIFICATION_INDEX
        ),
        quantity_tons_month=_optional_floats(quantity_tons_month, m),
        latitude=_coordinate(coordinates, m, 0),
        longitude=_coordinate(coordinates, m, 1),
        buyer_ids=None if buyer_ids is None else np.asarray(buyer_ids, dtype=np.int64),
        texts=texts,
        ids=ids,
    )


def _optional_floats(values: Sequence[float | None] | None, n: int) -> np.ndarray | None:
    if values is None:
        return None
    return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64).reshape(n)


def _coordinate(coords: Sequence[tuple[float, float] | None] | None, n: int, axis: int) -> np.ndarray | None:
    if coords is None:
        return None
    return np.array([np.nan if c is None else float(c[axis]) for c in coords], dtype=np.float64).reshape(n)
