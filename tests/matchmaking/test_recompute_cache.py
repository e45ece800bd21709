"""The one-IKM recompute keeps the open needs prepared per worker: every edit of a need must still be seen.

Each test lets the worker cache the needs (an incremental run), edits a need in some way, runs the
incremental recompute again and checks it gives what a full recompute gives.
"""

import pytest
from django.core.cache import cache
from django.db import connection

from matchmaking import recompute
from matchmaking.enums import NeedStatus
from matchmaking.models import NeedCertification, NeedProcess, Suggestion
from matchmaking.recompute import open_needs_state, suggestions_recompute_all, suggestions_recompute_for_ikm
from profiles.models import Certification, Process
from tests.factories import kabupaten
from tests.matchmaking.test_recompute import make_ikm, make_need, ranked

# The worker's needs cache is keyed by a PostgreSQL fingerprint; on SQLite (the embedded demo) the needs
# are reloaded on every run instead. Every test holds on both: an edit is always seen.
KEEPS_NEEDS_CACHE = connection.vendor == "postgresql"


def lists(*needs):
    return {n.pk: list(Suggestion.objects.filter(need=n).order_by("rank").values_list("ikm_id", "rank", "score"))
            for n in needs}


def incremental_equals_full(ikm, *needs):
    """The IKM's rows after its incremental run equal a full run's (other IKMs' rows are not its job)."""
    suggestions_recompute_for_ikm(ikm.pk)
    merged = lists(*needs)
    suggestions_recompute_all()
    full = lists(*needs)

    def scores(lists_by_need):
        return {n: [score for ikm_id, _, score in rows if ikm_id == ikm.pk] for n, rows in lists_by_need.items()}

    assert scores(merged) == scores(full)
    return merged


@pytest.fixture
def cached_world():
    """Two IKMs, two open needs, suggestions computed, and the needs cached by this worker."""
    caster = make_ikm(processes=["cast-grey-iron", "turning"], description="Pengecoran rumah pompa besi cor.")
    welder = make_ikm(processes=["welding"], description="Las konstruksi baja dan pagar.")
    castings = make_need(title="Rumah pompa", description="Rumah pompa besi cor kelabu, dibubut.")
    frames = make_need(processes=["welding"], title="Rangka baja")
    suggestions_recompute_all()
    suggestions_recompute_for_ikm(caster.pk)
    state = open_needs_state()
    # Nothing changed: a PostgreSQL worker reuses its prepared needs; SQLite reloads them.
    assert (open_needs_state() is state) == KEEPS_NEEDS_CACHE
    return caster, welder, castings, frames, state


@pytest.mark.django_db
def test_a_requirement_added_after_the_cache_was_built_is_seen(cached_world):
    caster, welder, castings, frames, state = cached_world
    assert ranked(frames) == [welder.pk]
    NeedProcess.objects.create(need=frames, process=Process.objects.get(code="turning"))
    NeedProcess.objects.filter(need=frames, process__code="welding").delete()

    merged = incremental_equals_full(caster, castings, frames)

    assert open_needs_state() is not state
    assert caster.pk in [row[0] for row in merged[frames.pk]]


@pytest.mark.django_db
def test_a_requirement_flag_changed_in_place_is_seen(cached_world):
    caster, welder, castings, frames, state = cached_world
    NeedCertification.objects.create(need=castings, certification=Certification.objects.get(code="iso-9001"),
                                     required=False)
    suggestions_recompute_all()
    suggestions_recompute_for_ikm(caster.pk)
    state = open_needs_state()
    NeedCertification.objects.filter(need=castings).update(required=True)  # no save(), no updated_at

    assert open_needs_state() is not state
    merged = incremental_equals_full(caster, castings, frames)
    assert Suggestion.objects.get(need=castings, ikm=caster).components["certs_missing"] == ["iso-9001"]
    assert merged[castings.pk]


@pytest.mark.django_db
def test_a_need_text_edited_after_the_cache_was_built_is_seen(cached_world):
    caster, welder, castings, frames, state = cached_world
    before = Suggestion.objects.get(need=castings, ikm=caster).components["text"]
    castings.title, castings.description = "Poros", "Poros baja dibubut."
    castings.save()

    incremental_equals_full(caster, castings, frames)

    assert Suggestion.objects.get(need=castings, ikm=caster).components["text"] != before
    assert open_needs_state().needs.features.texts[0].startswith("Poros")


@pytest.mark.django_db
def test_a_need_closed_or_opened_after_the_cache_was_built_is_seen(cached_world):
    caster, welder, castings, frames, state = cached_world
    castings.status = NeedStatus.CLOSED
    castings.save()
    new = make_need(title="Rumah pompa", description="Rumah pompa besi cor kelabu, dibubut.")

    suggestions_recompute_for_ikm(caster.pk)

    assert ranked(new) == [caster.pk]
    assert castings.pk not in open_needs_state().needs.ids


@pytest.mark.django_db
def test_a_buyer_moving_after_the_cache_was_built_is_seen(cached_world):
    caster, welder, castings, frames, state = cached_world
    castings.delivery_kabupaten = None
    castings.save()
    suggestions_recompute_for_ikm(caster.pk)
    state = open_needs_state()
    buyer = castings.buyer
    buyer.kabupaten = kabupaten("Kota Surabaya")
    buyer.save()

    incremental_equals_full(caster, castings, frames)

    assert open_needs_state() is not state
    assert Suggestion.objects.get(need=castings, ikm=caster).components["km"] > 300


@pytest.mark.django_db
def test_the_worker_copy_of_the_text_index_follows_the_shared_one(cached_world):
    caster, welder, castings, frames, state = cached_world
    local = recompute._corpus_text_index()
    assert recompute._corpus_text_index() is local  # unchanged: no reload of the vocabulary
    cache.set(recompute._TEXT_INDEX_KEY, ("other", {"pompa": 0}, local.idf[:1]))
    cache.set(recompute._TEXT_INDEX_TOKEN_KEY, "other")

    replaced = recompute._corpus_text_index()

    assert replaced.token == "other" and replaced.vocabulary == {"pompa": 0}
    suggestions_recompute_all()  # a full run shares its own vocabulary again
    assert recompute._corpus_text_index().token == local.token


@pytest.mark.django_db
def test_recompute_crash_while_inserting_leaves_previous_suggestions(monkeypatch, cached_world):
    caster, welder, castings, frames, state = cached_world
    before = lists(castings, frames)
    real_insert = recompute._insert_rows

    def insert_then_fail(*args, **kwargs):
        real_insert(*args, **kwargs)
        assert Suggestion.objects.filter(need=castings).exists()
        raise RuntimeError("connection lost")

    monkeypatch.setattr(recompute, "_insert_rows", insert_then_fail)

    with pytest.raises(RuntimeError):
        recompute.suggestions_recompute_needs([castings.pk, frames.pk])

    assert lists(castings, frames) == before and before[castings.pk]
