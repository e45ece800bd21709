"""export_suggestions writes what is stored: each open need's K best, refs or pks."""

import csv

import pytest
from django.core.management import call_command

from matchmaking.enums import NeedStatus
from matchmaking.models import Suggestion
from matchmaking.recompute import suggestions_recompute_all
from tests.matchmaking.test_recompute import make_ikm, make_need


@pytest.mark.django_db
def test_export_matches_stored_suggestions_with_ref_or_pk(tmp_path):
    with_ref = make_ikm(processes=["cast-grey-iron", "turning"], ref="IKM-001")
    without_ref = make_ikm(processes=["cast-grey-iron"])
    make_ikm(processes=["turning"])
    need = make_need(ref="N-1")
    unnamed = make_need()
    closed = make_need(ref="N-CLOSED", status=NeedStatus.CLOSED)
    suggestions_recompute_all()
    Suggestion.objects.create(need=closed, ikm=with_ref, rank=1, score=0.9)
    out = tmp_path / "top.csv"

    call_command("export_suggestions", "--top", "2", "--out", str(out))

    with out.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    stored = [
        [need_ref or str(need_id), ikm_ref or str(ikm_id), str(rank), score]
        for need_ref, need_id, ikm_ref, ikm_id, rank, score in Suggestion.objects.filter(
            need__status=NeedStatus.OPEN, rank__lte=2).order_by("need_id", "rank").values_list(
            "need__ref", "need_id", "ikm__ref", "ikm_id", "rank", "score")
    ]
    assert rows[0] == ["need_ref", "ikm_ref", "rank", "score"]
    assert [r[:3] for r in rows[1:]] == [s[:3] for s in stored]
    assert [float(r[3]) for r in rows[1:]] == [s[3] for s in stored]
    assert rows[1][:3] == ["N-1", "IKM-001", "1"] and rows[2][:3] == ["N-1", str(without_ref.pk), "2"]
    assert {r[0] for r in rows[1:]} == {"N-1", str(unnamed.pk)}
    assert need.pk != unnamed.pk
