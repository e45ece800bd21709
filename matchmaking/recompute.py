"""Running the pure scorer against the database: load features, score, store each need's top suggestions.

Data flow: one query per table loads IKMs and needs as plain lists → :mod:`matchmaking.scoring` builds the
arrays and ranks → the top ``SUGGESTIONS_PER_NEED`` of each need are written with their components and the
"why" facts (met/missing codes) the pages turn into sentences (:mod:`matchmaking.explain`).

Atomicity: a need's list is replaced inside one transaction (its rows deleted and re-inserted, the need
row locked), so a reader sees the old list or the new one, never half of each; a crash leaves the old one.

Who is scored: every IKM except those Dinas sent back (``needs_revision``), against OPEN needs only; the
suggestions of needs that are no longer open are left as they were (history for the Dinas summary).

Requests from saves (``request_need_recompute``/``request_ikm_recompute``) are debounced: after the
change commits, a cache marker says "a run is queued"; further saves only push the run back (up to
``DEBOUNCE_MAX_WAIT``); the task deletes the marker *before* it loads data, so a save that commits after
that point queues a new run and none is lost. The nightly full recompute is the safety net for the rare
request lost between a commit and its callback.
"""

from __future__ import annotations

import json
import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
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
from .models import Need, NeedCertification, NeedMaterial, NeedProcess, Suggestion, SuggestionAnswer
from .scoring import Dismissal, Feedback, IkmFeatures, NeedFeatures, TrustBoost, analyse, score_pairs
from .scoring.engine import MET_THRESHOLD, PairExplanation, TextIndex, prepare_ikms
from .scoring.features import CERTIFICATION_INDEX, MATERIAL_INDEX, PROCESS_INDEX, C, M, P

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

_TEXT_INDEX_KEY = "matchmaking:text-index:v1"
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


def _taxonomy() -> tuple[dict[int, str], dict[int, str], dict[int, str]]:
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


def load_ikms(ikm_ids: Iterable[int] | None = None) -> LoadedIkms:
    """IKMs as scorer input, one query per table, ordered by pk (the engine breaks ties on that order)."""
    process_codes, material_codes, certification_codes = _taxonomy()
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


def load_needs(need_ids: Iterable[int] | None = None) -> LoadedNeeds:
    """OPEN needs (all, or those of ``need_ids``) as scorer input, one query per table, ordered by pk."""
    process_codes, material_codes, certification_codes = _taxonomy()
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
    need's codes and text); interest from both sides → a TrustBoost of 1 per mutual pair.
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
    return Feedback(dismissals=tuple(dismissals), boosts=tuple(boosts))


# --- text index shared with incremental runs ------------------------------------------------------------


def _remember_text_index(ikms: LoadedIkms) -> None:
    """Keep the IKM corpus's TF-IDF vocabulary so a one-IKM run scores text exactly like a full run."""
    index = prepare_ikms(ikms.features).text
    cache.set(_TEXT_INDEX_KEY, (index.vocabulary, index.idf), _TEXT_INDEX_TTL)


def _corpus_text_index() -> tuple[dict[str, int], np.ndarray]:
    stored = cache.get(_TEXT_INDEX_KEY)
    if stored is not None:
        return stored
    texts = dict(ikm_queryset().values_list("pk", "description"))
    extra = _ikm_texts({"ikm_id__in": list(texts)} if len(texts) <= 1000 else {})
    tokens = [_analysis(". ".join([d or "", *extra.get(pk, ())])).tokens for pk, d in sorted(texts.items())]
    index = TextIndex.build(tokens)
    cache.set(_TEXT_INDEX_KEY, (index.vocabulary, index.idf), _TEXT_INDEX_TTL)
    return index.vocabulary, index.idf


def _use_corpus_text_index(ikms: LoadedIkms) -> None:
    vocabulary, idf = _corpus_text_index()
    empty = sp.csr_matrix((0, len(idf)))
    matrix = TextIndex(vocabulary, idf, empty, empty).transform(ikms.features.text_tokens)
    prepare_ikms(ikms.features).text = TextIndex(vocabulary, idf, matrix, matrix.T.tocsr())


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


def _suggestion_rows(result, ikms: LoadedIkms, needs: LoadedNeeds, need_id: int, now) -> list[tuple]:
    """(need_id, ikm_id, rank, score, components, computed_at) of one need's ranked result."""
    quantity = needs.quantity[result.need_index]
    rows = []
    for rank in range(len(result)):
        i = int(result.ikm_indices[rank])
        rows.append((need_id, ikms.ids[i], rank + 1, float(result.scores[rank]),
                     stored_components(result.explain(rank), capacity=ikms.capacity[i], quantity=quantity), now))
    return rows


_COLUMNS = ("need_id", "ikm_id", "rank", "score", "components", "computed_at")


def _insert_rows(rows: list[tuple]) -> None:
    """Insert suggestion rows: COPY on PostgreSQL (several times faster than a multi-row INSERT), else bulk."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Suggestion._meta.db_table)
        with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(_COLUMNS)}) FROM STDIN") as copy:
            for need_id, ikm_id, rank, score, components, computed_at in rows:
                copy.write_row((need_id, ikm_id, rank, score, json.dumps(components), computed_at))
        return
    Suggestion.objects.bulk_create([Suggestion(**dict(zip(_COLUMNS, row, strict=True))) for row in rows],
                                   batch_size=2000)


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
    with transaction.atomic():
        still_open = _lock_open_needs(asked)
        Suggestion.objects.filter(need_id__in=still_open).delete()
        rows = []
        for result in results:
            need_id = needs.ids[result.need_index]
            if need_id in still_open:
                rows.extend(_suggestion_rows(result, ikms, needs, need_id, now))
        deleted = {r[1] for r in rows} - set(ikm_queryset().values_list("pk", flat=True))
        rows = [r for r in rows if r[1] not in deleted] if deleted else rows  # an IKM deleted meanwhile
        _insert_rows(rows)
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


def _rerank(need_ids: Sequence[int]) -> None:
    """Ranks 1..n by score (ties: lower IKM pk first, as the engine breaks them), in one statement."""
    if not need_ids:
        return
    table = connection.ops.quote_name(Suggestion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(_RERANK_SQL.format(table=table, placeholders=", ".join(["%s"] * len(need_ids))),
                       list(need_ids))


def suggestions_recompute_for_ikm(ikm_id: int) -> RecomputeReport:
    """Score one IKM against every open need and merge it into each need's top list.

    Only the needs where the IKM enters, stays or leaves are touched: its row is inserted, updated or
    deleted, those needs are re-ranked and cut back to ``SUGGESTIONS_PER_NEED``. A need it leaves while its
    list was full may now miss a better IKM below the cut: those needs get one chunk recompute (outbox).
    Text similarity uses the corpus vocabulary of the last full load, so scores equal a full run's.
    Side effects: one transaction; possibly one outbox message.
    """
    report = RecomputeReport()
    started = time.perf_counter()
    ikms = load_ikms([ikm_id])
    needs = load_needs()
    report.load_seconds = time.perf_counter() - started
    started = time.perf_counter()
    scored: dict[int, object] = {}  # need id → its one-row NeedResult (explained only if it enters)
    if ikms.ids and needs.ids:
        _use_corpus_text_index(ikms)
        feedback = load_feedback(ikms, needs)
        for result in score_pairs(ikms.features, needs.features, top_k=1, feedback=feedback):
            if len(result):
                scored[needs.ids[result.need_index]] = result
    report.score_seconds = time.perf_counter() - started
    started = time.perf_counter()
    k = SUGGESTIONS_PER_NEED
    now = timezone.now()
    with transaction.atomic():
        current = dict(Suggestion.objects.filter(ikm_id=ikm_id, need__status=NeedStatus.OPEN)
                       .values_list("need_id", "rank"))
        candidates = sorted(set(scored) | set(current))
        others = {
            row["need_id"]: (row["n"], row["lowest"])
            for row in Suggestion.objects.filter(need_id__in=candidates).exclude(ikm_id=ikm_id)
            .values("need_id").annotate(n=Count("id"), lowest=Min("score"))
        }
        entering = {
            need_id for need_id, result in scored.items()
            if others.get(need_id, (0, 0.0))[0] < k or float(result.scores[0]) >= others[need_id][1]
        }
        leaves = [need_id for need_id in current if need_id not in entering]
        affected = sorted(entering | set(leaves))
        still_open = _lock_open_needs(affected)
        enters = [
            Suggestion(**dict(zip(_COLUMNS, _suggestion_rows(scored[need_id], ikms, needs, need_id, now)[0],
                                  strict=True)))
            for need_id in sorted(entering & still_open)
        ]
        # It leaves a full list: the best IKM below the cut is unknown here, so recompute those needs.
        refill = [need_id for need_id in leaves if need_id in still_open and others.get(need_id, (0, 0.0))[0] >= k - 1]
        if leaves:
            Suggestion.objects.filter(ikm_id=ikm_id, need_id__in=leaves).delete()
        Suggestion.objects.bulk_create(enters, update_conflicts=True, unique_fields=["need", "ikm"],
                                       update_fields=["score", "components", "computed_at", "rank"])
        touched = sorted(still_open)
        _rerank(touched)
        if touched:
            Suggestion.objects.filter(need_id__in=touched, rank__gt=k).delete()
        if refill:
            outbox_enqueue(CHUNK_TASK, args=[sorted(refill)])
    report.store_seconds = time.perf_counter() - started
    report.needs = len(affected)
    report.suggestions = len(enters)
    return report
