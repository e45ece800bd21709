"""Numbers in pages: ids stay plain so links, form values and data attributes work past id 999; figures
a person reads are grouped the way the reader's language writes them."""

import pytest
from django.template import Context, Template
from django.utils import translation

from tests.factories import IkmProfileFactory, UserFactory


@pytest.mark.django_db
def test_an_id_past_999_is_written_plainly_in_a_page(client):
    owner = UserFactory()
    ikm = IkmProfileFactory(pk=12345, owner=owner)
    client.force_login(owner)

    page = client.get("/dashboard/").content.decode()

    assert f'data-ikm="{ikm.pk}"' in page and "12.345" not in page


@pytest.mark.parametrize(("language", "written"), [("id", "20.000 · 1.250,50"), ("en", "20,000 · 1,250.50")])
def test_figures_are_grouped_in_the_readers_language(language, written):
    template = Template('{% load humanize %}{{ n|intcomma }} · {{ t|floatformat:"-2g" }}')
    with translation.override(language):
        assert template.render(Context({"n": 20000, "t": 1250.5})) == written
