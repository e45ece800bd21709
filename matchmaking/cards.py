"""The supplier directory's result cards, built in Python: the template engine spent about as long on 20
cards (some 170 variable lookups each) as the database spent finding them. Same HTML as a template would
give; strings go through gettext as in templates, the verification badge comes from its shared template.

Used by templates/matchmaking/_supplier_results.html: the shortlist form is rendered there once a page, the
cards' list (`cards_html`, through {% supplier_cards %}) here, where the template's loop over 20 cards cost
some 0.8 ms a page.
"""

from dataclasses import dataclass
from html import escape

from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from profiles.models import IkmProfile, ProductPhoto

from .reference_cache import process_names

_URL_ID = 918273645  # stands for the id in the reversed detail URL; appears nowhere else in it


@dataclass(frozen=True)
class SupplierCard:
    """One result card: the IKM (for the shortlist form), its product photo and its rendered summary."""

    ikm: IkmProfile
    thumb: SafeString
    summary: SafeString


def supplier_cards(ikms) -> list[SupplierCard]:
    """Cards for IKMs loaded with selectors.directory_card_queryset."""
    process_badges = {pk: f'<span class="badge text-bg-light border me-1">{escape(name)}</span>'
                      for pk, name in process_names().items()}
    badges: dict[str, str] = {}  # one render of the badge template per verification status
    # One reversal a page: a card's link differs from the next only by the id (a third of the cards' time).
    url_head, url_tail = reverse("profiles:ikm_detail", args=[_URL_ID]).split(str(_URL_ID))

    def badge(ikm: IkmProfile) -> str:
        if ikm.verification_status not in badges:
            badges[ikm.verification_status] = render_to_string("profiles/_verification_badge.html", {"ikm": ikm})
        return badges[ikm.verification_status]

    per_month = _("%(t)s t/month")  # one translation and one formatting of each capacity a page
    capacities: dict = {}

    def place(ikm: IkmProfile) -> str:
        """Regency/city, sentra and capacity: "Kabupaten Tegal · LIK Takaru · 12,5 t/bln"."""
        where = [str(ikm.kabupaten)]
        if ikm.sentra_id:
            where.append(str(ikm.sentra))
        capacity = ikm.capacity_tons_month
        if capacity is not None:
            if capacity not in capacities:
                capacities[capacity] = per_month % {"t": floatformat(capacity, "-1g")}
            where.append(capacities[capacity])
        return " · ".join(where)

    cards = []
    for ikm in ikms:
        held = set(ikm.process_ids)
        processes = "".join(html for pk, html in process_badges.items() if pk in held)
        url = f"{url_head}{ikm.pk}{url_tail}"
        cards.append(SupplierCard(ikm, _thumb(ikm), mark_safe(
            f'<h2 class="h6 mb-1"><a href="{url}">{escape(ikm.display_name)}</a> {badge(ikm)}</h2>'
            f'<div class="small text-muted">{escape(place(ikm))}</div><div class="small">{processes}</div>')))
    return cards


def _thumb(ikm: IkmProfile) -> SafeString:
    """The first photo of the first product, if it has one."""
    if not ikm.first_product_thumbnail:
        return SafeString("")
    url = ProductPhoto._meta.get_field("thumbnail").storage.url(ikm.first_product_thumbnail)
    return mark_safe(f'<img class="thumb rounded" src="{escape(url)}" alt="{escape(ikm.first_product_name)}">')


def cards_html(cards: list[SupplierCard], shortlist: tuple[str, str] | None = None) -> SafeString:
    """The result cards' columns as _supplier_results.html lays them out; with `shortlist` (the shortlist
    form's HTML before and after the IKM's id field, rendered once a page), each card's shortlist form."""
    html = []
    for card in cards:
        pk = card.ikm.pk
        form = (f'{shortlist[0]}\n            <input type="hidden" name="ikm" value="{pk}">\n            {shortlist[1]}'
                if shortlist else "")
        html.append(f'  <div class="col-12 col-lg-6">\n    <div class="card card-supplier h-100" data-ikm="{pk}">'
                    f'<div class="card-body d-flex gap-3">\n      {card.thumb}\n      <div class="flex-fill">\n'
                    f'        {card.summary}\n        {form}\n      </div>\n    </div></div>\n  </div>\n')
    return mark_safe("".join(html))
