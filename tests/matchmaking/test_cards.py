"""The directory's result cards: what a buyer sees of each supplier."""

from decimal import Decimal

import pytest
from django.utils import translation

from matchmaking.cards import supplier_cards
from matchmaking.reference_cache import process_names
from matchmaking.selectors import directory_card_queryset
from profiles.models import Process, ProductPhoto, Sentra
from profiles.services import ikm_changed
from tests.factories import IkmProfileFactory, ProductFactory, kabupaten


@pytest.mark.django_db
def test_card_shows_name_badge_place_capacity_processes_and_first_photo(django_assert_num_queries):
    tegal = kabupaten("Kabupaten Tegal")
    ikm = IkmProfileFactory(name="Logam Jaya <Tegal>", legal_form="cv", kabupaten=tegal, verification_status="verified",
                            sentra=Sentra.objects.create(name="LIK Takaru", kabupaten=tegal),
                            capacity_tons_month=Decimal("12.50"))
    ikm.processes.set(Process.objects.filter(code__in=["welding", "turning"]))
    product = ProductFactory(ikm=ikm, name="Rumah pompa")
    ProductPhoto.objects.create(product=product, image="products/a.jpg", thumbnail="products/thumbs/a.jpg")
    ProductFactory(ikm=ikm, name="Velg")
    ikm_changed([ikm.pk])

    with translation.override("id"):
        rows = list(directory_card_queryset().filter(pk=ikm.pk))
        process_names()
        with django_assert_num_queries(0):  # the card reads only what the card queryset loaded
            [card] = supplier_cards(rows)

    assert card.ikm == ikm
    assert card.thumb == '<img class="thumb rounded" src="/media/products/thumbs/a.jpg" alt="Rumah pompa">'
    assert f'<a href="/ikm/{ikm.pk}/">CV Logam Jaya &lt;Tegal&gt;</a>' in card.summary
    assert 'data-badge="verified"' in card.summary
    assert "Kabupaten Tegal · LIK Takaru · 12,5 t/bln" in card.summary
    for process in Process.objects.filter(code__in=["welding", "turning"]):
        assert f'<span class="badge text-bg-light border me-1">{process.name_id}</span>' in card.summary


@pytest.mark.django_db
def test_card_shows_no_photo_when_the_first_product_has_none():
    ikm = IkmProfileFactory()
    ProductFactory(ikm=ikm, name="Tanpa foto")
    later = ProductFactory(ikm=ikm, name="Dengan foto")
    ProductPhoto.objects.create(product=later, image="products/b.jpg", thumbnail="products/thumbs/b.jpg")

    [card] = supplier_cards(directory_card_queryset().filter(pk=ikm.pk))

    assert card.thumb == ""


@pytest.mark.django_db
def test_card_without_photo_sentra_or_capacity_leaves_them_out():
    ikm = IkmProfileFactory(name="Bengkel Waru", capacity_tons_month=None)

    [card] = supplier_cards(directory_card_queryset().filter(pk=ikm.pk))

    assert card.thumb == ""
    assert f'<div class="small text-muted">{ikm.kabupaten.name}</div>' in card.summary
    assert 'data-badge="verified"' not in card.summary


@pytest.mark.django_db
def test_a_capacity_reads_in_the_language_of_the_page_that_shows_it():
    ikm = IkmProfileFactory(capacity_tons_month=Decimal("1250.50"))

    for language, label in [("id", "1.250,5 t/bln"), ("en", "1,250.5 t/month"), ("id", "1.250,5 t/bln")]:
        with translation.override(language):
            [card] = supplier_cards(directory_card_queryset().filter(pk=ikm.pk))
        assert f"· {label}</div>" in card.summary, language


@pytest.mark.django_db
def test_each_card_links_its_own_ikm():
    from django.urls import reverse

    ikms = [IkmProfileFactory(), IkmProfileFactory(), IkmProfileFactory()]

    cards = supplier_cards(directory_card_queryset().filter(pk__in=[ikm.pk for ikm in ikms]).order_by("pk"))

    for card, ikm in zip(cards, sorted(ikms, key=lambda ikm: ikm.pk), strict=True):
        assert f'<a href="{reverse("profiles:ikm_detail", args=[ikm.pk])}">' in card.summary


@pytest.mark.django_db
def test_cards_loaded_by_id_are_those_of_the_card_queryset_in_the_given_order(django_assert_num_queries):
    from matchmaking.selectors import directory_cards_by_id

    tegal = kabupaten("Kabupaten Tegal")
    with_all = IkmProfileFactory(legal_form="cv", kabupaten=tegal, capacity_tons_month=Decimal("3.25"),
                                 sentra=Sentra.objects.create(name="LIK Takaru", kabupaten=tegal))
    with_all.processes.set(Process.objects.filter(code__in=["welding", "turning"]))
    ProductPhoto.objects.create(product=ProductFactory(ikm=with_all, name="Velg"), image="p/a.jpg",
                                thumbnail="p/thumbs/a.jpg")
    plain, gone = IkmProfileFactory(sentra=None, capacity_tons_month=None), IkmProfileFactory()
    ikm_changed([with_all.pk, plain.pk])
    ids = [plain.pk, gone.pk, with_all.pk]
    gone.delete()  # deleted between the ranking query and the row query
    process_names()

    with django_assert_num_queries(1):
        cards = supplier_cards(directory_cards_by_id(ids))

    expected = supplier_cards([directory_card_queryset().get(pk=pk) for pk in (plain.pk, with_all.pk)])
    assert [card.ikm.pk for card in cards] == [plain.pk, with_all.pk]
    assert [(card.summary, card.thumb) for card in cards] == [(card.summary, card.thumb) for card in expected]
    assert "LIK Takaru" in cards[1].summary and cards[1].thumb
