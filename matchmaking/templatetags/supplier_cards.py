"""`{% supplier_cards cards %}`: the directory's result cards (matchmaking.cards.cards_html), with the
shortlist form (`shortlist`, matchmaking.cards.shortlist_form) when the page has needs to shortlist onto."""

from django import template

from matchmaking.cards import cards_html

register = template.Library()


@register.simple_tag(takes_context=True)
def supplier_cards(context, cards):
    return cards_html(cards, context.get("shortlist"))
