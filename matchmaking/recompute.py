"""Running the pure scorer against the database: load features, score, store each need's top suggestions.

Data flow: one query per table loads IKMs and needs as plain lists → :mod:`matchmaking.scoring` builds the
arrays and ranks → the top ``SUGGESTIONS_PER_NEED`` of each need are written with their components and the
"why" facts (met/missing codes) the pages turn into sentences (:mod:`matchmaking.explain`).

Atomicity: a need's list is replaced inside one transaction (its rows deleted and re-inserted, the need
row locked), so a reader sees the old list or the new one, never half of each; a crash leaves the old one.

Storing is vectorised: the "why" of every stored pair comes from one array pass over a chunk's results
(:func:`matchmaking.scoring.engine.explain_results`) and is written as JSON text, then COPY.

One-IKM runs (each profile save) reuse this worker's prepared open needs while a one-query fingerprint of
what they depend on is unchanged (:func:`open_needs_state`), and its copy of the corpus vocabulary while
the shared token is unchanged; the IKM is scored against the needs it is a candidate for only.

Who is scored: every IKM except those Dinas sent back (``needs_revision``), against OPEN needs only; the
suggestions of needs that are no longer open are left as they were (history for the Dinas summary).

Requests from saves (``request_need_recompute``/``request_ikm_recompute``) are debounced: after the
change commits, a cache marker says "a run is queued"; further saves only push the run back (up to
``DEBOUNCE_MAX_WAIT``); the task deletes the marker *before* it loads data, so a save that commits after
that point queues a new run and none is lost. The nightly full recompute is the safety net for the rare
request lost between a commit and its callback.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Min
from django.utils import timezone

from ikmportal.outbox.services import outbox_enqueue
from profiles.enums import VerificationStatus
from profiles.models import Certification, IkmCertification, IkmProfile, Machine, Material, Process, Product

from .enums import Answer, AnswerSide, NeedStatus, QuantityUnit
from .models import (
    Need,
    NeedCertification,
    NeedMaterial,
    NeedProcess,
    Partnership,
    Suggestion,
    SuggestionAnswer,
)
from .scoring import Dismissal, Feedback, IkmFeatures, NeedFeatures, TrustBoost, analyse, score_pairs
from .scoring.engine import (
    MET_THRESHOLD,
    SOURCES,
    ExplainedPairs,
    PairExplanation,
    PreparedNeeds,
    TextIndex,
    candidate_needs,
    explain_results,
    prepare_ikms,
    prepare_needs,
    score_prepared,
)
from .scoring.features import CERTIFICATION_INDEX, MATERIAL_INDEX, PROCESS_INDEX, C, M, P
from .scoring.taxonomy import CERTIFICATION_CODES, MATERIAL_CODES, PROCESS_CODES

logger = logging.getLogger(__name__)

#: How many suggestions each need keeps (the export's --top and the pages read at most this many).
SUGGESTIONS_PER_NEED = 20
#: A requirement the buyer marked "preferred" weighs this much against a required one (ticked = 1).
PREFERRED_REQUIREMENT_WEIGHT = 0.5
#: Needs scored and stored together in the full recompute (one transaction per chunk).
DEFAULT_CHUNK_NEEDS = 1000
#: Needs per chunk task when the nightly recompute is shared between workers.
TASK_CHUNK_NEEDS = 500

NEED_TASK = "matchmaking.need_suggestions_recompute"
IKM_TASK = "matchmaking.ikm_suggestions_recompute"
CHUNK_TASK = "matchmaking.suggestions_recompute_chunk"

_TEXT_INDEX_KEY = "matchmaking:text-index:v2"
_TEXT_INDEX_TOKEN_KEY = "matchmaking:text-index:v2:token"
_TEXT_INDEX_TTL = 3 * 24 * 3600


# --- debounced requests ---------------------------------------------------------------------------------


def _debounce_seconds() -> float:
    return float(getattr(settings, "MATCHMAKING_RECOMPUTE_DEBOUNCE_SECONDS", 5.0))


#: A stream of saves never delays a run by more than this.
DEBOUNCE_MAX_WAIT = 60.0
#: A marker whose run was lost (worker died before starting it) stops blocking requests after this.
_MARKER_TTL = 15 * 60


def _marker_keys(kind: str, pk: int) -> tuple[str, str]:
    return f"matchmaking:recompute:{kind}:{pk}:queued", f"matchmaking:recompute:{kind}:{pk}:last"


def request_need_recompute(need_id: int) -> None:
    """Ask for a need's suggestions to be recomputed after the current transaction commits (debounced)."""
    _request("need", need_id, NEED_TASK)


def request_ikm_recompute(ikm_id: int) -> None:
    """Ask for an IKM's place in every open need's suggestions to be recomputed after commit (debounced)."""
    _request("ikm", ikm_id, IKM_TASK)


def _request(kind: str, pk: int, task_name: str) -> None:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        # In-process tasks (no broker): nothing to collapse; run once the change is committed.
        outbox_enqueue(task_name, args=[pk])
        return
    transaction.on_commit(lambda: _enqueue_unless_queued(kind, pk, task_name))


def _enqueue_unless_queued(kind: str, pk: int, task_name: str) -> None:
    """After commit: queue a run unless one is queued and not yet started (that one will see this change)."""
    queued_key, last_key = _marker_keys(kind, pk)
    now = time.time()
    cache.set(last_key, now, _MARKER_TTL)
    if cache.add(queued_key, now, _MARKER_TTL) or cache.get(queued_key) is None:
        # (A cache outage makes add() fail and get() miss: queue the run rather than lose it.)
        outbox_enqueue(task_name, args=[pk])


def recompute_claim(kind: str, pk: int) -> float | None:
    """Called by a task before it loads anything: seconds to wait while saves keep coming, else None.

    None means the run is claimed (the "queued" marker is gone, so later saves queue a new run).
    """
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return None
    queued_key, last_key = _marker_keys(kind, pk)
    first, last = cache.get(queued_key), cache.get(last_key)
    now = time.time()
    window = _debounce_seconds()
    if first is not None and last is not None and now - last < window and now - first < DEBOUNCE_MAX_WAIT:
        return max(0.05, window - (now - last))
    cache.delete(queued_key)
    return None


# --- loading --------------------------------------------------------------------------------------------


@lru_cache(maxsize=200_000)
def _analysis(text: str):
    """Text analysis is the costly part of the IKM side and only changes with the text: keep it per process."""
    return analyse(text)


_Taxonomy = tuple[dict[int, str], dict[int, str], dict[int, str]]


def _taxonomy() -> _Taxonomy:
    """Taxonomy pk → code: three small queries, read each time (a cache would outlive a reload)."""
    return (
        dict(Process.objects.values_list("pk", "code")),
        dict(Material.objects.values_list("pk", "code")),
        dict(Certification.objects.values_list("pk", "code")),
    )


@dataclass(eq=False)
class LoadedIkms:
    """IKM features plus what the stored "why" needs and the features do not keep."""

    ids: list[int]
    features: IkmFeatures
    capacity: list[float | None]

    @property
    def index(self) -> dict[int, int]:
        return {pk: i for i, pk in enumerate(self.ids)}


def ikm_queryset():
    return IkmProfile.objects.exclude(verification_status=VerificationStatus.NEEDS_REVISION)


def _ikm_texts(ids_filter: dict) -> dict[int, list[str]]:
    parts: dict[int, list[str]] = defaultdict(list)
    for ikm_id, name, description in Product.objects.filter(**ids_filter).values_list("ikm_id", "name", "description"):
        parts[ikm_id].append(name)
        if description:
            parts[ikm_id].append(description)
    for ikm_id, machine_type in Machine.objects.filter(**ids_filter).values_list("ikm_id", "machine_type"):
        parts[ikm_id].append(machine_type)
    return parts


def load_ikms(ikm_ids: Iterable[int] | None = None, *, taxonomy: _Taxonomy | None = None) -> LoadedIkms:
    """IKMs as scorer input, one query per table, ordered by pk (the engine breaks ties on that order)."""
    process_codes, material_codes, certification_codes = taxonomy or _taxonomy()
    queryset = ikm_queryset()
    if ikm_ids is not None:
        queryset = queryset.filter(pk__in=list(ikm_ids))
    rows = list(queryset.order_by("pk").values_list(
        "pk", "capacity_tons_month", "latitude", "longitude", "kabupaten__latitude", "kabupaten__longitude",
        "verification_status", "description"))
    ids = [r[0] for r in rows]
    index = {pk: i for i, pk in enumerate(ids)}
    n = len(ids)
    # Through-table filters: everything when loading all (no IN list of 100,000 ids).
    f_ikm = {} if ikm_ids is None else {"ikm_id__in": ids}
    processes = np.zeros((n, P))
    for ikm_id, process_id in IkmProfile.processes.through.objects.filter(
            **({} if ikm_ids is None else {"ikmprofile_id__in": ids})).values_list("ikmprofile_id", "process_id"):
        i = index.get(ikm_id)
        if i is not None:
            processes[i, PROCESS_INDEX[process_codes[process_id]]] = 1.0
    materials = np.zeros((n, M))
    for ikm_id, material_id in IkmProfile.materials.through.objects.filter(
            **({} if ikm_ids is None else {"ikmprofile_id__in": ids})).values_list("ikmprofile_id", "material_id"):
        i = index.get(ikm_id)
        if i is not None:
            materials[i, MATERIAL_INDEX[material_codes[material_id]]] = 1.0
    held = np.zeros((n, C), dtype=bool)
    expiry = np.full((n, C), np.datetime64("NaT"), dtype="datetime64[D]")
    for ikm_id, certification_id, valid_until in IkmCertification.objects.filter(**f_ikm).values_list(
            "ikm_id", "certification_id", "valid_until"):
        i = index.get(ikm_id)
        if i is not None:
            c = CERTIFICATION_INDEX[certification_codes[certification_id]]
            held[i, c] = True
            if valid_until is not None:
                expiry[i, c] = np.datetime64(valid_until, "D")
    extra = _ikm_texts(f_ikm)
    texts = [". ".join([r[7] or "", *extra.get(r[0], ())]) for r in rows]
    analyses = [_analysis(t) for t in texts]
    capacity = [None if r[1] is None else float(r[1]) for r in rows]
    features = IkmFeatures(
        processes=processes,
        materials=materials,
        certifications=held,
        capacity_tons_month=np.array([np.nan if c is None else c for c in capacity], dtype=np.float64),
        latitude=np.array([_first(r[2], r[4]) for r in rows], dtype=np.float64),
        longitude=np.array([_first(r[3], r[5]) for r in rows], dtype=np.float64),
        verified=np.array([r[6] == VerificationStatus.VERIFIED for r in rows], dtype=bool),
        texts=texts,
        certification_expiry=expiry,
        reference_date=timezone.localdate(),
        prose_codes=[a.codes for a in analyses],
        text_tokens=[a.tokens for a in analyses],
        ids=ids,
    )
    return LoadedIkms(ids=ids, features=features, capacity=capacity)


def _first(value, fallback) -> float:
    if value is not None:
        return float(value)
    return np.nan if fallback is None else float(fallback)


@dataclass(eq=False)
class LoadedNeeds:
    ids: list[int]
    features: NeedFeatures
    quantity: list[float | None]


def _quantity_tons(quantity, unit) -> float | None:
    if quantity is None:
        return None
    if unit == QuantityUnit.TON:
        return float(quantity)
    if unit == QuantityUnit.KG:
        return float(quantity) / 1000
    return None


def need_text(title: str, description: str, category: str, tolerance: str) -> str:
    return ". ".join(part for part in (title, category, description, tolerance) if part)


def load_needs(need_ids: Iterable[int] | None = None, *, taxonomy: _Taxonomy | None = None) -> LoadedNeeds:
    """OPEN needs (all, or those of ``need_ids``) as scorer input, one query per table, ordered by pk."""
    process_codes, material_codes, certification_codes = taxonomy or _taxonomy()
    queryset = Need.objects.filter(status=NeedStatus.OPEN)
    if need_ids is not None:
        queryset = queryset.filter(pk__in=list(need_ids))
    rows = list(queryset.order_by("pk").values_list(
        "pk", "buyer_id", "title", "description", "component_category", "tolerance", "quantity", "quantity_unit",
        "delivery_kabupaten__latitude", "delivery_kabupaten__longitude",
        "buyer__kabupaten__latitude", "buyer__kabupaten__longitude"))
    ids = [r[0] for r in rows]
    index = {pk: i for i, pk in enumerate(ids)}
    m = len(ids)
    f_need = {} if need_ids is None else {"need_id__in": ids}
    processes, materials = np.zeros((m, P)), np.zeros((m, M))
    required, preferred = np.zeros((m, C), dtype=bool), np.zeros((m, C), dtype=bool)
    for model, field, codes, matrix, code_index in (
        (NeedProcess, "process_id", process_codes, processes, PROCESS_INDEX),
        (NeedMaterial, "material_id", material_codes, materials, MATERIAL_INDEX),
    ):
        for need_id, code_id, is_required in model.objects.filter(**f_need).values_list("need_id", field, "required"):
            i = index.get(need_id)
            if i is not None:
                matrix[i, code_index[codes[code_id]]] = 1.0 if is_required else PREFERRED_REQUIREMENT_WEIGHT
    for need_id, certification_id, is_required in NeedCertification.objects.filter(**f_need).values_list(
            "need_id", "certification_id", "required"):
        i = index.get(need_id)
        if i is not None:
            (required if is_required else preferred)[i, CERTIFICATION_INDEX[certification_codes[certification_id]]] = True
    texts = [need_text(r[2], r[3], r[4], r[5]) for r in rows]
    analyses = [_analysis(t) for t in texts]
    quantity = [_quantity_tons(r[6], r[7]) for r in rows]
    features = NeedFeatures(
        processes=processes,
        materials=materials,
        certifications_required=required,
        certifications_preferred=preferred,
        quantity_tons_month=np.array([np.nan if q is None else q for q in quantity], dtype=np.float64),
        latitude=np.array([_first(r[8], r[10]) for r in rows], dtype=np.float64),
        longitude=np.array([_first(r[9], r[11]) for r in rows], dtype=np.float64),
        buyer_ids=np.array([r[1] for r in rows], dtype=np.int64),
        texts=texts,
        prose_codes=[a.codes for a in analyses],
        text_tokens=[a.tokens for a in analyses],
        ids=ids,
    )
    return LoadedNeeds(ids=ids, features=features, quantity=quantity)


def load_feedback(ikms: LoadedIkms, needs: LoadedNeeds) -> Feedback:
    """Buyers' past answers as scorer feedback, for the buyers of ``needs`` and the IKMs of ``ikms``.

    "Not relevant" from a buyer → a Dismissal (on the need itself when it is being scored, else by that
    need's codes and text); interest from both sides → a TrustBoost of 1 per mutual pair; a partnership
    with a purchase order → a TrustBoost of 2 for that buyer and IKM.
    """
    buyers = sorted({int(b) for b in needs.features.buyer_ids})
    if not buyers or not ikms.ids:
        return Feedback()
    ikm_index, need_index = ikms.index, {pk: i for i, pk in enumerate(needs.ids)}
    only_these = {} if len(ikms.ids) > 1000 else {"ikm_id__in": ikms.ids}
    dismissed = [
        (need_id, ikm_id, buyer_id)
        for need_id, ikm_id, buyer_id in SuggestionAnswer.objects.filter(
            side=AnswerSide.BUYER, answer=Answer.NOT_RELEVANT, need__buyer_id__in=buyers, **only_these,
        ).values_list("need_id", "ikm_id", "need__buyer_id")
        if ikm_id in ikm_index
    ]
    elsewhere = {need_id for need_id, _, _ in dismissed if need_id not in need_index}
    codes: dict[int, tuple[list[str], list[str], str]] = {}
    if elsewhere:
        process_codes, material_codes, _ = _taxonomy()
        for pk, title, description, category, tolerance in Need.objects.filter(pk__in=elsewhere).values_list(
                "pk", "title", "description", "component_category", "tolerance"):
            codes[pk] = ([], [], need_text(title, description, category, tolerance))
        for need_id, process_id in NeedProcess.objects.filter(need_id__in=elsewhere).values_list("need_id", "process_id"):
            codes[need_id][0].append(process_codes[process_id])
        for need_id, material_id in NeedMaterial.objects.filter(need_id__in=elsewhere).values_list(
                "need_id", "material_id"):
            codes[need_id][1].append(material_codes[material_id])
    dismissals = []
    for need_id, ikm_id, buyer_id in dismissed:
        if need_id in need_index:
            dismissals.append(Dismissal(buyer_id, ikm_index[ikm_id], need_index=need_index[need_id]))
        elif need_id in codes:
            p, m, text = codes[need_id]
            dismissals.append(Dismissal(buyer_id, ikm_index[ikm_id], processes=tuple(p), materials=tuple(m), text=text))
    mutual = (
        SuggestionAnswer.objects.filter(answer=Answer.INTERESTED, need__buyer_id__in=buyers, **only_these)
        .values("need_id", "ikm_id", "need__buyer_id")
        .annotate(sides=Count("side", distinct=True))
        .filter(sides=2)
        .values_list("ikm_id", "need__buyer_id")
    )
    boosts = [TrustBoost(buyer_id, ikm_index[ikm_id], 1.0) for ikm_id, buyer_id in mutual if ikm_id in ikm_index]
    # A partnership that reached a purchase order: the buyer has bought from this IKM (strength 2).
    ordered = (Partnership.objects.filter(buyer_id__in=buyers, orders__isnull=False, **only_these)
               .values_list("ikm_id", "buyer_id").distinct())
    boosts += [TrustBoost(buyer_id, ikm_index[ikm_id], 2.0) for ikm_id, buyer_id in ordered if ikm_id in ikm_index]
    return Feedback(dismissals=tuple(dismissals), boosts=tuple(boosts))


# --- text index shared with incremental runs ------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _CorpusText:
    """The IKM corpus's TF-IDF vocabulary and idf, with a token naming that content."""

    token: str
    vocabulary: dict[str, int]
    idf: np.ndarray


def _text_token(vocabulary: dict[str, int], idf: np.ndarray) -> str:
    digest = hashlib.blake2b(np.ascontiguousarray(idf, dtype=np.float64).tobytes(), digest_size=16)
    digest.update("\0".join(vocabulary).encode())
    return digest.hexdigest()


#: This worker's copy of the shared text index (its token says whether it is still the cached one).
_local_text: _CorpusText | None = None


def _keep_text(vocabulary: dict[str, int], idf: np.ndarray, token: str | None = None) -> _CorpusText:
    global _local_text
    text = _CorpusText(token or _text_token(vocabulary, idf), vocabulary, idf)
    _local_text = text
    return text


def _remember_text_index(ikms: LoadedIkms) -> None:
    """Keep the IKM corpus's TF-IDF vocabulary so a one-IKM run scores text exactly like a full run."""
    index = prepare_ikms(ikms.features).text
    text = _keep_text(index.vocabulary, index.idf)
    if cache.get(_TEXT_INDEX_TOKEN_KEY) == text.token and cache.touch(_TEXT_INDEX_KEY, _TEXT_INDEX_TTL):
        cache.touch(_TEXT_INDEX_TOKEN_KEY, _TEXT_INDEX_TTL)  # same corpus vocabulary: no need to send it again
        return
    cache.set(_TEXT_INDEX_KEY, (text.token, text.vocabulary, text.idf), _TEXT_INDEX_TTL)
    cache.set(_TEXT_INDEX_TOKEN_KEY, text.token, _TEXT_INDEX_TTL)


def _corpus_text_index() -> _CorpusText:
    """The shared vocabulary: this worker's copy while its token is the cached one (one small read)."""
    token = cache.get(_TEXT_INDEX_TOKEN_KEY)
    if token is not None and _local_text is not None and _local_text.token == token:
        return _local_text
    stored = cache.get(_TEXT_INDEX_KEY)
    if stored is not None:
        token, vocabulary, idf = stored
        return _keep_text(vocabulary, idf, token)
    texts = dict(ikm_queryset().values_list("pk", "description"))
    extra = _ikm_texts({"ikm_id__in": list(texts)} if len(texts) <= 1000 else {})
    tokens = [_analysis(". ".join([d or "", *extra.get(pk, ())])).tokens for pk, d in sorted(texts.items())]
    index = TextIndex.build(tokens)
    text = _keep_text(index.vocabulary, index.idf)
    cache.set(_TEXT_INDEX_KEY, (text.token, text.vocabulary, text.idf), _TEXT_INDEX_TTL)
    cache.set(_TEXT_INDEX_TOKEN_KEY, text.token, _TEXT_INDEX_TTL)
    return text


def _use_corpus_text_index(ikms: LoadedIkms, text: _CorpusText) -> TextIndex:
    """Score ``ikms``' text in the corpus vocabulary; returns that index (its vocabulary serves the needs)."""
    empty = sp.csr_matrix((0, len(text.idf)))
    matrix = TextIndex(text.vocabulary, text.idf, empty, empty).transform(ikms.features.text_tokens)
    index = TextIndex(text.vocabulary, text.idf, matrix, matrix.T.tocsr())
    prepare_ikms(ikms.features).text = index
    return index


# --- open needs kept per worker -------------------------------------------------------------------------

_REQUIREMENT_HASH = ("(SELECT count(*) || ':' || coalesce(sum(hashint8(id # (need_id << 20) # ({code}::bigint << 40)"
                     " # (required::int::bigint << 62))::bigint), 0) FROM {table})")
_FINGERPRINT_SQL = """
SELECT
  (SELECT count(*) || ':' || coalesce(max(n.updated_at)::text, '') || ':' || coalesce(sum(hashtext(concat_ws(',',
          n.id, n.updated_at, n.buyer_id, n.{delivery}, b.{buyer_place}))::bigint), 0)
     FROM {need} n JOIN {buyer} b ON b.id = n.buyer_id WHERE n.status = %(open)s),
  {processes}, {materials}, {certifications},
  (SELECT md5(coalesce(string_agg(concat_ws(',', id, code), ';' ORDER BY id), '')) FROM {process}),
  (SELECT md5(coalesce(string_agg(concat_ws(',', id, code), ';' ORDER BY id), '')) FROM {material}),
  (SELECT md5(coalesce(string_agg(concat_ws(',', id, code), ';' ORDER BY id), '')) FROM {certification})
"""


def _open_needs_fingerprint() -> tuple[str, ...] | None:
    """What the open needs as loaded depend on, hashed in one query; None where not supported (SQLite).

    Covers each open need's pk, ``updated_at`` (every save bumps it: texts, quantity, status), buyer and
    delivery place, the buyer's place; every requirement row (of any need: no join, so a few more reloads
    than needed) by id, need, code and required flag; and the taxonomy pk → code. Rows are combined by an
    order-free sum of hashes, so an edit goes unseen only on a hash collision. Not covered: kabupaten
    coordinates (reference data) — the nightly full recompute reloads everything anyway.
    """
    if connection.vendor != "postgresql":
        return None
    from profiles.models import BuyerOrganisation

    q = connection.ops.quote_name
    sql = _FINGERPRINT_SQL.format(
        need=q(Need._meta.db_table), buyer=q(BuyerOrganisation._meta.db_table),
        delivery=q(Need._meta.get_field("delivery_kabupaten").column),
        buyer_place=q(BuyerOrganisation._meta.get_field("kabupaten").column),
        processes=_REQUIREMENT_HASH.format(table=q(NeedProcess._meta.db_table), code="process_id"),
        materials=_REQUIREMENT_HASH.format(table=q(NeedMaterial._meta.db_table), code="material_id"),
        certifications=_REQUIREMENT_HASH.format(table=q(NeedCertification._meta.db_table), code="certification_id"),
        process=q(Process._meta.db_table),
        material=q(Material._meta.db_table), certification=q(Certification._meta.db_table),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"open": NeedStatus.OPEN})
        return tuple(cursor.fetchone())


@dataclass(eq=False)
class _OpenNeeds:
    """All open needs as loaded, the taxonomy they were read with, and their prepared arrays per vocabulary."""

    fingerprint: tuple[str, ...] | None
    taxonomy: _Taxonomy
    needs: LoadedNeeds
    prepared_token: str | None = None
    prepared: PreparedNeeds | None = None

    def prepare(self, text_index: TextIndex, token: str) -> PreparedNeeds:
        if self.prepared is None or self.prepared_token != token:
            self.prepared = prepare_needs(self.needs.features, text_index)
            self.prepared_token = token
        return self.prepared


_open_needs_cache: dict[str, _OpenNeeds] = {}
_open_needs_lock = threading.Lock()


def open_needs_state() -> _OpenNeeds:
    """The open needs, reused by this worker while their fingerprint is unchanged (else reloaded).

    The fingerprint is read before the needs, so a change committed in between only costs a reload later.
    """
    fingerprint = _open_needs_fingerprint()
    with _open_needs_lock:
        state = _open_needs_cache.get(connection.alias)
        if state is not None and fingerprint is not None and state.fingerprint == fingerprint:
            return state
    taxonomy = _taxonomy()
    state = _OpenNeeds(fingerprint, taxonomy, load_needs(taxonomy=taxonomy))
    with _open_needs_lock:
        _open_needs_cache[connection.alias] = state
    return state


def clear_open_needs_cache() -> None:
    with _open_needs_lock:
        _open_needs_cache.clear()


# --- what is stored -------------------------------------------------------------------------------------


def _r(value: float, digits: int = 4) -> float | None:
    return None if value is None or not np.isfinite(value) else round(float(value), digits)


def stored_components(explanation: PairExplanation, *, capacity: float | None, quantity: float | None) -> dict:
    """The JSON kept on a Suggestion: component values and the met/missing facts of the "why"."""
    c = explanation.components
    return {
        "process": _r(c["process"]), "material": _r(c["material"]), "certification": _r(c["certification"]),
        "capacity": _r(c["capacity"]), "distance": _r(c["distance"]), "verified": _r(c["verified"]),
        "text": _r(c["text"]), "km": _r(c["distance_km"], 1),
        "dismissal": _r(c["dismissal_factor"]), "trust": _r(c["trust_boost"]),
        "capacity_tons": capacity, "quantity_tons": quantity,
        # [code, met, source, via]: source ticked | prose | similar | missing
        "processes": [[m.code, m.satisfaction >= MET_THRESHOLD, m.source, m.via] for m in explanation.processes],
        "materials": [[m.code, m.satisfaction >= MET_THRESHOLD, m.source, m.via] for m in explanation.materials],
        "certs_met": list(explanation.certifications_met),
        "certs_missing": list(explanation.certifications_missing),
        "certs_expired": list(explanation.certifications_expired),
        "certs_preferred": list(explanation.certifications_preferred_met),
    }


def _rounded_json(values: np.ndarray, digits: int = 4) -> list[str]:
    """``json.dumps(_r(v, digits))`` over an array, the same text: null when not finite, else the repr of
    Python's round. numpy's round (rint of ``v · 10^digits``, divided back) gives the same float unless
    ``v · 10^digits`` lies near a half (where the product's own rounding can tip it): those few go
    through Python's round."""
    values = np.asarray(values, dtype=np.float64)
    finite = np.isfinite(values)
    with np.errstate(invalid="ignore"):
        scaled = values * 10.0**digits
        near_half = np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6
        rounded = np.round(values, digits)
    out = [repr(v) for v in rounded.tolist()]
    for j in np.flatnonzero(~finite | near_half | (np.abs(scaled) >= 2.0**52)).tolist():
        v = float(values[j])
        out[j] = repr(round(v, digits)) if math.isfinite(v) else "null"
    return out


def _matches_json(matches, codes: Sequence[str], n_pairs: int) -> list[str]:
    """Each pair's ``[[code, met, source, via], ...]`` (``stored_components``' "processes"/"materials")."""
    via_codes = [*codes, ""]  # via −1 → ""
    rendered: dict[tuple, str] = {}
    entries = []
    for key in zip(matches.code.tolist(), (matches.satisfaction >= MET_THRESHOLD).tolist(),
                   matches.source.tolist(), matches.via.tolist(), strict=True):
        text = rendered.get(key)
        if text is None:
            q, met, source, via = key
            text = rendered[key] = json.dumps([codes[q], met, SOURCES[source], via_codes[via]])
        entries.append(text)
    bounds = matches.bounds.tolist()
    return ["[" + ", ".join(entries[bounds[j]:bounds[j + 1]]) + "]" for j in range(n_pairs)]


def _codes_json(mask: np.ndarray) -> list[str]:
    """Each row's certificate codes (a pairs × C mask), in code order, as a JSON list."""
    if not mask.any():
        return ["[]"] * len(mask)
    rendered: dict[int, str] = {}
    out = []
    for bits in (mask.astype(np.int64) @ (1 << np.arange(mask.shape[1], dtype=np.int64))).tolist():
        text = rendered.get(bits)
        if text is None:
            text = rendered[bits] = json.dumps([CERTIFICATION_CODES[c] for c in range(mask.shape[1]) if bits >> c & 1])
        out.append(text)
    return out


def stored_components_json(pairs: ExplainedPairs, *, capacity: Sequence[float | None],
                           quantity: Sequence[float | None]) -> list[str]:
    """``json.dumps(stored_components(...))`` of every pair of ``pairs`` — the same text, pair for pair —
    from arrays in one pass (no per-pair explanation, dict or encoder call).

    ``capacity``/``quantity`` are per pair (the IKM's capacity, the need's quantity in tons/month).
    """
    n = len(pairs)
    c = pairs.components
    dumps = json.dumps
    columns = [
        _rounded_json(c["process"]), _rounded_json(c["material"]), _rounded_json(c["certification"]),
        _rounded_json(c["capacity"]), _rounded_json(c["distance"]), _rounded_json(c["verified"]),
        _rounded_json(c["text"]), _rounded_json(c["distance_km"], 1), _rounded_json(c["dismissal_factor"]),
        _rounded_json(c["trust_boost"]),
        [dumps(v) for v in capacity], [dumps(v) for v in quantity],
        _matches_json(pairs.processes, PROCESS_CODES, n), _matches_json(pairs.materials, MATERIAL_CODES, n),
        _codes_json(pairs.certifications_met), _codes_json(pairs.certifications_missing),
        _codes_json(pairs.certifications_expired), _codes_json(pairs.certifications_preferred_met),
    ]
    template = ('{{"process": {}, "material": {}, "certification": {}, "capacity": {}, "distance": {}, '
                '"verified": {}, "text": {}, "km": {}, "dismissal": {}, "trust": {}, "capacity_tons": {}, '
                '"quantity_tons": {}, "processes": {}, "materials": {}, "certs_met": {}, "certs_missing": {}, '
                '"certs_expired": {}, "certs_preferred": {}}}').format
    return [template(*values) for values in zip(*columns, strict=True)]


def _suggestion_rows(results: Sequence, ikms: LoadedIkms, needs: LoadedNeeds, now) -> list[tuple]:
    """(need_id, ikm_id, rank, score, components as JSON text, computed_at) of the ranked pairs of
    ``results``, explained in one vectorised pass."""
    pairs = explain_results(results)
    if not len(pairs):
        return []
    ikm_pos, need_pos = pairs.ikm_index.tolist(), pairs.need_index.tolist()
    ikm_ids = [ikms.ids[i] for i in ikm_pos]
    need_ids = [needs.ids[n] for n in need_pos]
    components = stored_components_json(
        pairs, capacity=[ikms.capacity[i] for i in ikm_pos], quantity=[needs.quantity[n] for n in need_pos])
    return list(zip(need_ids, ikm_ids, (pairs.rank + 1).tolist(), pairs.scores.tolist(), components,
                    [now] * len(pairs), strict=True))


def _suggestion(row: tuple) -> Suggestion:
    need_id, ikm_id, rank, score, components, computed_at = row
    return Suggestion(need_id=need_id, ikm_id=ikm_id, rank=rank, score=score, components=json.loads(components),
                      computed_at=computed_at)


_COLUMNS = ("need_id", "ikm_id", "rank", "score", "components", "computed_at")


def _encoded_rows(rows: list[tuple]) -> list:
    """What ``_insert_rows`` sends per row, prepared ahead of the transaction: on PostgreSQL, lines of
    COPY's text format (backslashes in the JSON doubled; json escapes every control character)."""
    if connection.vendor != "postgresql":
        return rows
    stamps: dict[object, str] = {}
    lines = []
    for need_id, ikm_id, rank, score, components, computed_at in rows:
        stamp = stamps.get(computed_at)
        if stamp is None:
            stamp = stamps[computed_at] = computed_at.isoformat()
        if "\\" in components:
            components = components.replace("\\", "\\\\")
        lines.append(f"{need_id}\t{ikm_id}\t{rank}\t{score!r}\t{components}\t{stamp}\n")
    return lines


def _insert_rows(rows: list[tuple], encoded: list | None = None) -> None:
    """Insert suggestion rows: COPY on PostgreSQL (several times faster than a multi-row INSERT), else bulk."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        lines = encoded if encoded is not None else _encoded_rows(rows)
        table = connection.ops.quote_name(Suggestion._meta.db_table)
        with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(_COLUMNS)}) FROM STDIN") as copy:
            for start in range(0, len(lines), 2000):
                copy.write("".join(lines[start:start + 2000]))
        return
    Suggestion.objects.bulk_create([_suggestion(row) for row in rows], batch_size=2000)


# --- recompute ------------------------------------------------------------------------------------------


@dataclass
class RecomputeReport:
    needs: int = 0
    suggestions: int = 0
    load_seconds: float = 0.0
    score_seconds: float = 0.0
    store_seconds: float = 0.0


def _lock_open_needs(need_ids: Sequence[int]) -> set[int]:
    """Lock the needs' rows (in pk order, so concurrent writers cannot deadlock); returns those still open."""
    return set(
        Need.objects.select_for_update().filter(pk__in=need_ids, status=NeedStatus.OPEN)
        .order_by("pk").values_list("pk", flat=True)
    )


def _score_and_store(ikms: LoadedIkms, need_ids: Sequence[int] | None, report: RecomputeReport,
                     *, top_k: int = SUGGESTIONS_PER_NEED) -> None:
    started = time.perf_counter()
    needs = load_needs(need_ids)
    feedback = load_feedback(ikms, needs)
    report.load_seconds += time.perf_counter() - started
    started = time.perf_counter()
    results = score_pairs(ikms.features, needs.features, top_k=top_k, feedback=feedback) if needs.ids else []
    report.score_seconds += time.perf_counter() - started
    started = time.perf_counter()
    now = timezone.now()
    asked = list(need_ids) if need_ids is not None else needs.ids
    # The rows, their "why" and their encoding are built before any lock is taken (one vectorised pass).
    rows = _suggestion_rows(results, ikms, needs, now)
    encoded = _encoded_rows(rows)
    with transaction.atomic():
        still_open = _lock_open_needs(asked)
        Suggestion.objects.filter(need_id__in=still_open).delete()
        keep = [r[0] in still_open for r in rows]
        deleted = {r[1] for r in rows} - set(ikm_queryset().values_list("pk", flat=True))  # deleted meanwhile
        if deleted:
            keep = [k and r[1] not in deleted for k, r in zip(keep, rows, strict=True)]
        if not all(keep):
            rows = [r for r, k in zip(rows, keep, strict=True) if k]
            encoded = [e for e, k in zip(encoded, keep, strict=True) if k]
        _insert_rows(rows, encoded)
    report.store_seconds += time.perf_counter() - started
    report.needs += len(still_open)
    report.suggestions += len(rows)


def suggestions_recompute_needs(need_ids: Sequence[int]) -> RecomputeReport:
    """Recompute and replace the suggestions of these needs (those not OPEN are skipped) against all IKMs.

    Side effects: one transaction replacing the needs' Suggestion rows; the IKM corpus's text index is
    cached for incremental runs.
    """
    report = RecomputeReport()
    if not need_ids:
        return report
    started = time.perf_counter()
    ikms = load_ikms()
    _remember_text_index(ikms)
    report.load_seconds += time.perf_counter() - started
    _score_and_store(ikms, list(need_ids), report)
    return report


def suggestions_recompute_for_need(need_id: int) -> RecomputeReport:
    """Recompute one need's suggestions (a need that is missing or not open is left alone)."""
    return suggestions_recompute_needs([need_id])


def suggestions_recompute_all(*, chunk: int | None = None) -> RecomputeReport:
    """Recompute every open need's suggestions: IKMs loaded and prepared once, needs in chunks.

    Each chunk of needs is replaced in its own transaction; an error stops the run with the chunks done so
    far replaced and the others as they were.
    """
    report = RecomputeReport()
    started = time.perf_counter()
    ikms = load_ikms()
    _remember_text_index(ikms)
    need_ids = list(Need.objects.filter(status=NeedStatus.OPEN).order_by("pk").values_list("pk", flat=True))
    report.load_seconds += time.perf_counter() - started
    size = max(1, chunk or DEFAULT_CHUNK_NEEDS)
    for start in range(0, len(need_ids), size):
        _score_and_store(ikms, need_ids[start:start + size], report)
    return report


def open_need_chunks(size: int = TASK_CHUNK_NEEDS) -> list[list[int]]:
    need_ids = list(Need.objects.filter(status=NeedStatus.OPEN).order_by("pk").values_list("pk", flat=True))
    return [need_ids[i:i + size] for i in range(0, len(need_ids), size)]


_RERANK_SQL = """
UPDATE {table} SET rank = ranked.new_rank
FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY need_id ORDER BY score DESC, ikm_id) AS new_rank
      FROM {table} WHERE need_id IN ({placeholders})) AS ranked
WHERE {table}.id = ranked.id AND {table}.rank <> ranked.new_rank
"""

_RERANK_AND_CUT_SQL = """
WITH ranked AS (
  SELECT id, ROW_NUMBER() OVER (PARTITION BY need_id ORDER BY score DESC, ikm_id) AS new_rank
  FROM {table} WHERE need_id = ANY(%(needs)s::bigint[])
), cut AS (
  DELETE FROM {table} USING ranked WHERE {table}.id = ranked.id AND ranked.new_rank > %(keep)s
)
UPDATE {table} SET rank = ranked.new_rank FROM ranked
WHERE {table}.id = ranked.id AND ranked.new_rank <= %(keep)s AND {table}.rank <> ranked.new_rank
"""


def _int_array(values: Iterable[int]) -> str:
    """A PostgreSQL array literal of integers (cast in the SQL): cheaper to send than a list adapted item by item."""
    return "{" + ",".join(str(int(v)) for v in values) + "}"


def _rerank(need_ids: Sequence[int], keep: int | None = None) -> None:
    """Ranks 1..n by score (ties: lower IKM pk first, as the engine breaks them), in one statement; with
    ``keep``, rows ranked below it are deleted (the same statement on PostgreSQL)."""
    if not need_ids:
        return
    table = connection.ops.quote_name(Suggestion._meta.db_table)
    with connection.cursor() as cursor:
        if keep is not None and connection.vendor == "postgresql":
            cursor.execute(_RERANK_AND_CUT_SQL.format(table=table), {"needs": _int_array(need_ids), "keep": keep})
            return
        cursor.execute(_RERANK_SQL.format(table=table, placeholders=", ".join(["%s"] * len(need_ids))),
                       list(need_ids))
    if keep is not None:
        Suggestion.objects.filter(need_id__in=need_ids, rank__gt=keep).delete()


_IKM_STATE_SQL = """
SELECT c.need_id, x.n, x.lowest, x.mine
FROM (SELECT unnest(%(scored)s::bigint[]) AS need_id
      UNION
      SELECT s.need_id FROM {suggestion} s JOIN {need} n ON n.id = s.need_id
      WHERE s.ikm_id = %(ikm)s AND n.status = %(open)s) AS c
CROSS JOIN LATERAL (
  SELECT count(*) FILTER (WHERE s.ikm_id <> %(ikm)s) AS n,
         min(s.score) FILTER (WHERE s.ikm_id <> %(ikm)s) AS lowest,
         coalesce(bool_or(s.ikm_id = %(ikm)s), false) AS mine
  FROM {suggestion} s WHERE s.need_id = c.need_id) AS x
"""


def _ikm_list_state(ikm_id: int, scored: Sequence[int]) -> tuple[set[int], dict[int, tuple[int, float]]]:
    """(open needs listing the IKM now, need → (other IKMs listed, their lowest score)) for the needs it
    is scored for or listed in. One statement on PostgreSQL (per-need index lookups), two elsewhere."""
    if connection.vendor == "postgresql":
        q = connection.ops.quote_name
        sql = _IKM_STATE_SQL.format(suggestion=q(Suggestion._meta.db_table), need=q(Need._meta.db_table))
        with connection.cursor() as cursor:
            cursor.execute(sql, {"scored": _int_array(scored), "ikm": ikm_id, "open": NeedStatus.OPEN})
            fetched = cursor.fetchall()
        current = {need_id for need_id, _, _, mine in fetched if mine}
        others = {need_id: (n, lowest) for need_id, n, lowest, _ in fetched if n}
        return current, others
    current = set(Suggestion.objects.filter(ikm_id=ikm_id, need__status=NeedStatus.OPEN)
                  .values_list("need_id", flat=True))
    candidates = sorted(set(scored) | current)
    others = {
        row["need_id"]: (row["n"], row["lowest"])
        for row in Suggestion.objects.filter(need_id__in=candidates).exclude(ikm_id=ikm_id)
        .values("need_id").annotate(n=Count("id"), lowest=Min("score")).order_by()
    }
    return current, others


def suggestions_recompute_for_ikm(ikm_id: int) -> RecomputeReport:
    """Score one IKM against the open needs and merge it into each need's top list.

    The open needs are kept prepared by the worker while their fingerprint is unchanged (see
    :func:`open_needs_state`), and the IKM is scored only against the needs it is a candidate for (the
    inverted index read the other way round); the others cannot list it.
    Only the needs where the IKM enters, stays or leaves are touched: its row is inserted, updated or
    deleted, those needs are re-ranked and cut back to ``SUGGESTIONS_PER_NEED``. A need it leaves while its
    list was full may now miss a better IKM below the cut: those needs get one chunk recompute (outbox).
    Text similarity uses the corpus vocabulary of the last full load, so scores equal a full run's.
    Side effects: one transaction; possibly one outbox message.
    """
    with transaction.atomic(), _without_jit():
        return _recompute_for_ikm(ikm_id)


@contextmanager
def _without_jit():
    """No JIT compilation in this (short) transaction: on tables whose statistics lag behind (just
    loaded), PostgreSQL's estimates can exceed jit_above_cost, and compiling then takes 100-300 ms for
    statements that run in a few. SET LOCAL ends with the transaction; inside an outer one, restored."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('jit'), set_config('jit', 'off', true)")
        previous = cursor.fetchone()[0]
    yield
    if previous != "off" and len(connection.atomic_blocks) > 1:  # (an error rolls the savepoint back)
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('jit', %s, true)", [previous])


def _recompute_for_ikm(ikm_id: int) -> RecomputeReport:
    report = RecomputeReport()
    started = time.perf_counter()
    state = open_needs_state()
    needs = state.needs
    ikms = load_ikms([ikm_id], taxonomy=state.taxonomy)
    report.load_seconds = time.perf_counter() - started
    started = time.perf_counter()
    scored: dict[int, object] = {}  # need id → its one-row NeedResult (explained only if it enters)
    if ikms.ids and needs.ids:
        text = _corpus_text_index()
        index = _use_corpus_text_index(ikms, text)
        prepared = state.prepare(index, text.token)
        ik = prepare_ikms(ikms.features)
        rows = candidate_needs(ik, prepared)
        if len(rows):
            feedback = load_feedback(ikms, needs)
            for result in score_prepared(ik, prepared, rows, top_k=1, feedback=feedback):
                if len(result):
                    scored[needs.ids[result.need_index]] = result
    report.score_seconds = time.perf_counter() - started
    started = time.perf_counter()
    k = SUGGESTIONS_PER_NEED
    now = timezone.now()
    current, others = _ikm_list_state(ikm_id, sorted(scored))
    entering = {
        need_id for need_id, result in scored.items()
        if others.get(need_id, (0, 0.0))[0] < k or float(result.scores[0]) >= others[need_id][1]
    }
    leaves = [need_id for need_id in current if need_id not in entering]
    affected = sorted(entering | set(leaves))
    if not affected:
        report.store_seconds = time.perf_counter() - started
        return report
    still_open = _lock_open_needs(affected)
    entered = sorted(entering & still_open)
    rows = _suggestion_rows([scored[need_id] for need_id in entered], ikms, needs, now)
    enters = [_suggestion(row) for row in rows]
    # It leaves a full list: the best IKM below the cut is unknown here, so recompute those needs.
    refill = [need_id for need_id in leaves if need_id in still_open and others.get(need_id, (0, 0.0))[0] >= k - 1]
    if leaves:
        Suggestion.objects.filter(ikm_id=ikm_id, need_id__in=leaves).delete()
    Suggestion.objects.bulk_create(enters, update_conflicts=True, unique_fields=["need", "ikm"],
                                   update_fields=["score", "components", "computed_at", "rank"])
    _rerank(sorted(still_open), keep=k)
    if refill:
        outbox_enqueue(CHUNK_TASK, args=[sorted(refill)])
    report.store_seconds = time.perf_counter() - started
    report.needs = len(affected)
    report.suggestions = len(enters)
    return report
