"""Suggestions through the database: hand-made cases rank as a person expects; lists replace atomically."""

import datetime as dt

import pytest
from django.utils import timezone

from matchmaking import recompute
from matchmaking.enums import NeedStatus
from matchmaking.models import NeedCertification, NeedMaterial, NeedProcess, Suggestion
from matchmaking.recompute import (
    suggestions_recompute_all,
    suggestions_recompute_for_ikm,
    suggestions_recompute_for_need,
)
from profiles.models import Certification, IkmCertification, Material, Process
from tests.factories import IkmProfileFactory, NeedFactory, kabupaten


def make_ikm(*, processes=(), materials=(), certifications=None, capacity=None, description="", **fields):
    """An IKM with ticked codes; `certifications` maps a code to its expiry date (None: no expiry)."""
    ikm = IkmProfileFactory(capacity_tons_month=capacity, description=description, **fields)
    ikm.processes.set(Process.objects.filter(code__in=processes))
    ikm.materials.set(Material.objects.filter(code__in=materials))
    for code, valid_until in (certifications or {}).items():
        IkmCertification.objects.create(ikm=ikm, certification=Certification.objects.get(code=code),
                                        valid_until=valid_until)
    return ikm


def make_need(*, processes=("cast-grey-iron", "turning"), materials=(), required_certifications=(),
              quantity=None, **fields):
    need = NeedFactory(quantity=quantity, **fields)
    for code in processes:
        NeedProcess.objects.create(need=need, process=Process.objects.get(code=code))
    for code in materials:
        NeedMaterial.objects.create(need=need, material=Material.objects.get(code=code))
    for code in required_certifications:
        NeedCertification.objects.create(need=need, certification=Certification.objects.get(code=code))
    return need


def ranked(need) -> list[int]:
    return list(Suggestion.objects.filter(need=need).order_by("rank").values_list("ikm_id", flat=True))


@pytest.mark.django_db
def test_recompute_for_need_ranks_full_process_coverage_above_partial():
    partial = make_ikm(processes=["cast-grey-iron"], materials=["grey-iron"])
    full = make_ikm(processes=["cast-grey-iron", "turning"], materials=["grey-iron"])
    need = make_need(materials=["grey-iron"])

    suggestions_recompute_for_need(need.pk)

    assert ranked(need) == [full.pk, partial.pk]
    top = Suggestion.objects.get(need=need, ikm=full)
    assert top.rank == 1
    assert [p[:2] for p in top.components["processes"]] == [["cast-grey-iron", True], ["turning", True]]


@pytest.mark.django_db
def test_recompute_expired_certificate_no_longer_meets_required_certificate():
    today = timezone.localdate()
    expired = make_ikm(processes=["cast-grey-iron", "turning"],
                       certifications={"iso-9001": today - dt.timedelta(days=1)})
    valid = make_ikm(processes=["cast-grey-iron", "turning"],
                     certifications={"iso-9001": today + dt.timedelta(days=30)})
    need = make_need(required_certifications=["iso-9001"])

    suggestions_recompute_for_need(need.pk)

    assert ranked(need) == [valid.pk, expired.pk]
    lapsed = Suggestion.objects.get(need=need, ikm=expired).components
    assert lapsed["certs_expired"] == ["iso-9001"]
    assert Suggestion.objects.get(need=need, ikm=valid).components["certs_met"] == ["iso-9001"]


@pytest.mark.django_db
def test_recompute_finds_capability_written_only_in_the_description():
    prose = make_ikm(description="Kami melayani pengecoran besi cor kelabu dan bubut poros untuk pabrik gula.")
    make_ikm(processes=["welding"])  # a welder: not a candidate
    need = make_need()

    suggestions_recompute_for_need(need.pk)

    assert ranked(need) == [prose.pk]
    sources = {p[0]: p[2] for p in Suggestion.objects.get(need=need).components["processes"]}
    assert sources == {"cast-grey-iron": "prose", "turning": "prose"}


@pytest.mark.django_db
def test_recompute_skips_needs_that_are_not_open_and_ikms_sent_back():
    make_ikm(processes=["cast-grey-iron", "turning"], verification_status="needs_revision")
    draft = make_need(status=NeedStatus.DRAFT)
    open_need = make_need()

    report = suggestions_recompute_all()

    assert report.needs == 1
    assert ranked(draft) == [] and ranked(open_need) == []


@pytest.mark.django_db
def test_recompute_all_in_chunks_stores_the_same_lists_as_in_one_go():
    ikms = [make_ikm(processes=p) for p in (["cast-grey-iron"], ["turning", "cast-grey-iron"], ["turning"])]
    needs = [make_need(), make_need(processes=["turning"]), make_need(processes=["cast-grey-iron"])]
    suggestions_recompute_all()
    whole = {n.pk: ranked(n) for n in needs}

    suggestions_recompute_all(chunk=1)

    assert {n.pk: ranked(n) for n in needs} == whole
    assert set(whole[needs[1].pk]) == {ikms[1].pk, ikms[2].pk}


@pytest.mark.django_db
def test_recompute_crash_while_storing_leaves_previous_suggestions(monkeypatch):
    make_ikm(processes=["cast-grey-iron", "turning"])
    make_ikm(processes=["cast-grey-iron"])
    need = make_need()
    suggestions_recompute_for_need(need.pk)
    before = list(Suggestion.objects.filter(need=need).values_list("ikm_id", "rank", "score", "computed_at"))
    real_score_pairs = recompute.score_pairs

    def broken_scorer(*args, **kwargs):
        results = real_score_pairs(*args, **kwargs)
        results[0].ikm_indices[-1] = 10_000  # an IKM that does not exist: fails after the old rows are deleted
        return results

    monkeypatch.setattr(recompute, "score_pairs", broken_scorer)

    with pytest.raises(IndexError):
        suggestions_recompute_for_need(need.pk)

    after = list(Suggestion.objects.filter(need=need).values_list("ikm_id", "rank", "score", "computed_at"))
    assert after == before and len(before) == 2


@pytest.mark.django_db
def test_recompute_for_ikm_merges_it_with_the_score_a_full_run_gives():
    first = make_ikm(processes=["cast-grey-iron", "turning"], description="Coran besi untuk rumah pompa air.")
    late = make_ikm(processes=["cast-grey-iron"], description="Pengecoran rumah pompa dan impeller.")
    need = make_need(title="Rumah pompa", description="Rumah pompa besi cor kelabu, dibubut.")
    other = make_need(processes=["welding"])
    suggestions_recompute_all()
    late.processes.add(Process.objects.get(code="turning"))
    late.capacity_tons_month = 50
    late.save()

    suggestions_recompute_for_ikm(late.pk)
    merged = list(Suggestion.objects.filter(need=need).order_by("rank").values_list("ikm_id", "rank", "score"))
    suggestions_recompute_all()
    full = list(Suggestion.objects.filter(need=need).order_by("rank").values_list("ikm_id", "rank", "score"))

    assert merged == full
    assert {row[0] for row in merged} == {first.pk, late.pk}
    assert ranked(other) == []


@pytest.mark.django_db
def test_recompute_for_ikm_removes_an_ikm_sent_back_and_reranks():
    kept = make_ikm(processes=["cast-grey-iron"])
    sent_back = make_ikm(processes=["cast-grey-iron", "turning"])
    need = make_need()
    suggestions_recompute_for_need(need.pk)
    assert ranked(need) == [sent_back.pk, kept.pk]
    sent_back.verification_status = "needs_revision"
    sent_back.save()

    suggestions_recompute_for_ikm(sent_back.pk)

    assert list(Suggestion.objects.filter(need=need).values_list("ikm_id", "rank")) == [(kept.pk, 1)]


@pytest.mark.django_db
def test_recompute_nearer_ikm_ranks_higher_when_all_else_is_equal():
    far = make_ikm(processes=["cast-grey-iron", "turning"], kabupaten=kabupaten("Kota Surabaya"))
    near = make_ikm(processes=["cast-grey-iron", "turning"])
    need = make_need()

    suggestions_recompute_for_need(need.pk)

    assert ranked(need) == [near.pk, far.pk]
    assert Suggestion.objects.get(need=need, ikm=near).components["km"] < 5
