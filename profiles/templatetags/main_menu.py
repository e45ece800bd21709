"""`{% main_menu %}`: the navigation's links for the signed-in user, rendered once per process for each
combination of what the links depend on.

Every page showed the menu by asking nine permissions in the template and reversing fifteen URLs, about
0.6 ms a page. The links depend only on the answers to those permissions (profiles/rules.py and the apps'
rules.py: one place for who may do what), on being staff, on the language and on the URLconf, so the
answers are still asked on every page (cheap: `rules` predicates, plus the permission tables for staff)
and the markup (`includes/_main_menu.html`) is rendered only for a combination not seen yet. Permissions
are code, so a process never holds a stale combination: one whose permissions changed makes a new key.
"""

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

#: The template's variable for each permission the menu asks.
MENU_PERMISSIONS = {
    "can_have_ikm": "profiles.have_ikm_profile",
    "can_search": "profiles.search_suppliers",
    "can_verify": "profiles.verify_ikms",
    "can_post_needs": "matchmaking.post_needs",
    "can_browse": "matchmaking.browse_opportunities",
    "can_see_events": "events.browse_events",
    "can_group": "profiles.create_group",
    "can_see_partnerships": "matchmaking.browse_partnerships",
    "can_see_outcomes": "matchmaking.view_outcomes_dashboard",
}

_rendered: dict[tuple, SafeString] = {}


@register.simple_tag(takes_context=True)
def main_menu(context) -> SafeString:
    """The menu's `<li>` links for `context["user"]`, who is signed in."""
    user = context["user"]
    allowed = tuple(user.has_perm(permission) for permission in MENU_PERMISSIONS.values())
    key = (allowed, user.is_staff, get_language(), get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    html = _rendered.get(key)
    if html is None:
        html = mark_safe(render_to_string("includes/_main_menu.html",
                                          {**dict(zip(MENU_PERMISSIONS, allowed, strict=True)), "is_staff": user.is_staff}))
        _rendered[key] = html
    return html
