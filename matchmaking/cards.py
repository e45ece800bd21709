"""The supplier directory's result cards, built in Python: the template engine spent about as long on 20
cards (some 170 variable lookups each) as the database spent finding them. Same HTML as a template would
give; strings go through gettext as in templates, the verification badge comes from its shared template.

Used by templates/matchmaking/_supplier_results.html: the cards' list (`cards_html`, through {% supplier_cards %})
is made here, where the template's loop over 20 cards cost some 0.8 ms a page. The shortlist form on every card
is rendered once a page (shortlist_form_parts), while PostgreSQL ranks the results, and completed with the
buyer's needs (shortlist_form).
"""

import uuid
from dataclasses import dataclass
from functools import lru_cache
from html import escape

from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ikmportal.rendering import render_released_to_string
from profiles.models import IkmProfile, ProductPhoto

from .reference_cache import process_names
from .selectors import CardRow

_URL_ID = 918273645  # stands for the id in the reversed detail URL; appears nowhere else in it


@dataclass(frozen=True)
class SupplierCard:
    """One result card: the IKM (for the shortlist form), its product photo and its rendered summary."""

    ikm: IkmProfile | CardRow
    thumb: SafeString
    summary: SafeString


def supplier_cards(ikms) -> list[SupplierCard]:
    """Cards for IKMs loaded with selectors.directory_card_queryset or directory_cards_by_id."""
    process_badges = {pk: f'<span class="badge text-bg-light border me-1">{escape(name)}</span>'
                      for pk, name in process_names().items()}
    badges: dict[str, str] = {}  # one render of the badge template per verification status
    # One reversal a page: a card's link differs from the next only by the id (a third of the cards' time).
    url_head, url_tail = reverse("profiles:ikm_detail", args=[_URL_ID]).split(str(_URL_ID))

    def badge(ikm: IkmProfile) -> str:
        if ikm.verification_status not in badges:
            badges[ikm.verification_status] = render_to_string("profiles/_verification_badge.html", {"ikm": ikm})
        return badges[ikm.verification_status]

    language = get_language()

    def place(ikm: IkmProfile) -> str:
        """Regency/city, sentra and capacity: "Kabupaten Tegal · LIK Takaru · 12,5 t/bln"."""
        where = [str(ikm.kabupaten)]
        if ikm.sentra_id:
            where.append(str(ikm.sentra))
        if ikm.capacity_tons_month is not None:
            where.append(_capacity_label(ikm.capacity_tons_month, language))
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


@lru_cache(maxsize=4096)
def _capacity_label(capacity, language: str | None) -> str:
    """"12,5 t/bln": a capacity as a card shows it, in the active language (its translation and number format),
    remembered per process (formatting a number took a quarter of a page's cards)."""
    return _("%(t)s t/month") % {"t": floatformat(capacity, "-1g")}


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


_IKM_FIELD = mark_safe(f"<!--ikm {uuid.uuid4().hex}-->")
_NEED_OPTIONS = mark_safe(f"<!--needs {uuid.uuid4().hex}-->")


def shortlist_form_parts(request) -> tuple[str, str, str]:
    """The cards' shortlist form (templates/matchmaking/_shortlist_form.html) in three parts: before the IKM's
    id field, between it and the needs' options, after them. Needs nothing the results or the needs give, so
    the directory renders it while PostgreSQL ranks the results."""
    html = render_released_to_string(request, "matchmaking/_shortlist_form.html",
                                      {"ikm": _IKM_FIELD, "options": _NEED_OPTIONS})
    start, rest = html.split(_IKM_FIELD)
    middle, end = rest.split(_NEED_OPTIONS)
    return start, middle, end


def shortlist_form(parts: tuple[str, str, str] | None, needs) -> tuple[str, str] | None:
    """The shortlist form as cards_html takes it (before and after the IKM's id field), from its parts
    (shortlist_form_parts) with an option for each need (selectors.shortlist_needs); None without parts or
    needs (no form)."""
    if parts is None or not needs:
        return None
    start, middle, end = parts
    options = "".join(f'<option value="{need.pk}">{escape(Truncator(need.title).chars(40))}</option>'
                      for need in needs)
    return start, f"{middle}{options}{end}"
