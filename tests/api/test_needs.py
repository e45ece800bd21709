"""Writing needs through the API: the need services do the work; errors are JSON with field errors."""

import pytest

from matchmaking.models import Need, NeedStatusChange
from tests.api.conftest import need_with_process

NEW_NEED = {
    "title": "Rumah pompa besi cor",
    "description": "Housing FC250, 40 kg per piece.",
    "processes": [{"code": "cast-grey-iron", "required": True}, {"code": "turning", "required": False}],
    "materials": [{"code": "grey-iron"}],
    "quantity": "12.50",
    "quantity_unit": "ton",
    "delivery_kabupaten": "33.28",
    "estimated_value_idr": 900_000_000,
}


@pytest.mark.django_db
def test_need_create_posts_a_draft_of_my_organisation_with_its_requirements(buyer_api, buyer_staff):
    response = buyer_api.post("/api/v1/buyer/needs/", NEW_NEED, format="json")

    assert response.status_code == 201, response.json()
    need = Need.objects.get(pk=response.json()["id"])
    assert need.buyer == buyer_staff.buyer_organisation
    assert need.created_by == buyer_staff
    assert need.status == "draft"
    assert {(r.process.code, r.required) for r in need.need_processes.all()} == {
        ("cast-grey-iron", True), ("turning", False)}
    assert response.json()["processes"] == [{"code": "cast-grey-iron", "required": True},
                                            {"code": "turning", "required": False}]
    assert response.json()["delivery_kabupaten"] == "33.28"


@pytest.mark.django_db
def test_need_patch_changes_fields_and_keeps_requirements(buyer_api, buyer_staff):
    need = need_with_process(buyer_staff.buyer_organisation, process="welding")

    response = buyer_api.patch(f"/api/v1/buyer/needs/{need.pk}/", {"title": "Rangka baja"}, format="json")

    assert response.status_code == 200, response.json()
    need.refresh_from_db()
    assert need.title == "Rangka baja"
    assert [r.process.code for r in need.need_processes.all()] == ["welding"]


@pytest.mark.django_db
def test_need_status_close_is_recorded_with_who(buyer_api, buyer_staff):
    need = need_with_process(buyer_staff.buyer_organisation, status="open")

    response = buyer_api.post(f"/api/v1/buyer/needs/{need.pk}/status/", {"status": "closed"}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "closed"
    change = NeedStatusChange.objects.get(need=need)
    assert (change.from_status, change.to_status, change.by) == ("open", "closed", buyer_staff)


@pytest.mark.django_db
def test_need_status_not_allowed_is_400_with_the_services_message(buyer_api, buyer_staff):
    need = need_with_process(buyer_staff.buyer_organisation, status="draft")

    response = buyer_api.post(f"/api/v1/buyer/needs/{need.pk}/status/", {"status": "awarded"}, format="json")

    assert response.status_code == 400
    assert response.json()["detail"]
    assert not NeedStatusChange.objects.exists()


@pytest.mark.django_db
def test_need_create_with_bad_fields_is_400_with_field_errors(buyer_api):
    body = {**NEW_NEED, "processes": [{"code": "origami"}], "quantity": "-1", "delivery_kabupaten": "x\x00"}

    response = buyer_api.post("/api/v1/buyer/needs/", body, format="json")

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"processes", "quantity", "delivery_kabupaten"} <= set(errors)
    assert response.json()["detail"]
    assert not Need.objects.exists()


@pytest.mark.django_db
def test_need_create_without_processes_is_400(buyer_api):
    response = buyer_api.post("/api/v1/buyer/needs/", {"title": "Baut"}, format="json")

    assert response.status_code == 400
    assert "processes" in response.json()["errors"]


@pytest.mark.django_db
def test_need_create_with_broken_json_is_400_json(buyer_api):
    response = buyer_api.post("/api/v1/buyer/needs/", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["detail"]


@pytest.mark.django_db
def test_open_needs_filter_with_the_opportunity_filter(buyer_api, buyer_staff):
    from profiles.models import Process

    welding = need_with_process(buyer_staff.buyer_organisation, process="welding")
    need_with_process(buyer_staff.buyer_organisation, process="turning")

    response = buyer_api.get("/api/v1/needs/", {"process": Process.objects.get(code="welding").pk})

    assert [row["id"] for row in response.json()["results"]] == [welding.pk]


@pytest.mark.django_db
def test_open_needs_bad_filter_value_is_400_not_500(buyer_api):
    response = buyer_api.get("/api/v1/needs/", {"province": "3\x003", "deadline_from": "kemarin"})

    assert response.status_code == 400
    assert response.json()["errors"]
