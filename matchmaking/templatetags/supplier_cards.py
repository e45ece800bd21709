"""`{% supplier_cards cards %}`: the directory's result cards (matchmaking.cards.cards_html), with the
shortlist form captured as `shortlist_start` / `shortlist_end` when the page has needs to shortlist onto."""

from django import template

from matchmaking.cards import cards_html

register = template.Library()


@register.simple_tag(takes_context=True)
def supplier_cards(context, cards):
    shortlist = (context["shortlist_start"], context["shortlist_end"]) if context.get("needs") else None
    return cards_html(cards, shortlist)
