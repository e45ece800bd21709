"""`{% capture as name %}…{% endcapture %}`: render a piece of template once and reuse it.

The directory's shortlist form is the same on every result card but for the IKM's id; rendered in the card
loop it cost about 16 ms of CPU a page for a buyer with five open needs (the need options, a CSRF
field masked for each card)."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


class CaptureNode(template.Node):
    def __init__(self, nodelist, name: str):
        self.nodelist = nodelist
        self.name = name

    def render(self, context) -> str:
        context[self.name] = mark_safe(self.nodelist.render(context))
        return ""


@register.tag
def capture(parser, token):
    """Render the content into the context variable `name` (already escaped) instead of the output."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("usage: {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])
