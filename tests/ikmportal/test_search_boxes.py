"""Search boxes take whatever is typed or pasted: a NUL character (which PostgreSQL refuses in a query) or
an overlong text gives a page, never an error page."""

import pytest

from tests.factories import EventFactory

NUL = "cor\x00kuningan"


@pytest.mark.django_db
def test_search_boxes_ignore_nul_characters(client, buyer_staff, ikm_owner, dinas_tegal):
    client.force_login(buyer_staff)
    assert client.get("/suppliers/", {"q": NUL}).status_code == 200
    assert client.get("/kemitraan/", {"q": NUL + "x" * 500}).status_code == 200
    client.force_login(ikm_owner)
    assert client.post("/groups/new/", {"search": "1", "q": NUL}).status_code == 200
    client.force_login(dinas_tegal)
    event = EventFactory()
    assert client.get(f"/events/{event.pk}/checkin/", {"q": NUL}).status_code == 200
    assert client.get("/kemitraan/catat/", {"q": NUL}).status_code == 200
