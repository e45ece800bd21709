"""`{% navbar %}` and `{% main_menu %}`: the navigation bar, and in it the navigation's links for the signed-in user, rendered once per process for each
combination of what the links depend on.

Every page showed the menu by asking nine permissions in the template and reversing fifteen URLs, about
0.6 ms a page. The links depend only on the answers to those permissions (profiles/rules.py and the apps'
rules.py: one place for who may do what), on being staff, on the language and on the URLconf, so the
answers are still asked on every page (cheap: `rules` predicates, plus the permission tables for staff)
and the markup (`includes/_main_menu.html`) is rendered only for a combination not seen yet. Permissions
are code, so a process never holds a stale combination: one whose permissions changed makes a new key.

The bar around the links (`includes/navbar.html`: the account menu, the language switch) cost another
0.7 ms a page to render: it is rendered once per process for each combination of the menu's key, signing in
and role, with marks where the page's CSRF token, its path and the user's name go, which each page puts in
(escaped, as the template would).
"""

import re
import uuid

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import conditional_escape
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
    allowed, key = _menu_key(user)
    html = _rendered.get(key)
    if html is None:
        html = mark_safe(render_to_string("includes/_main_menu.html",
                                          {**dict(zip(MENU_PERMISSIONS, allowed, strict=True)), "is_staff": user.is_staff}))
        _rendered[key] = html
    return html


def _menu_key(user) -> tuple[tuple[bool, ...], tuple]:
    allowed = tuple(user.has_perm(permission) for permission in MENU_PERMISSIONS.values())
    return allowed, (allowed, user.is_staff, get_language(), get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


_MARK = uuid.uuid4().hex  # letters and digits: escaping leaves it as it is
_MARKS = re.compile(f"(csrf|path|name){_MARK}")
_bars: dict[tuple, str] = {}


class _MarkedUser:
    """The user as the bar's template sees it, but shown as a mark (where the name goes).

    Only what the cache key covers is passed through: the bar is shared by every user with the same key,
    so anything else of the first user's (an e-mail address, a phone number) must not be baked into it. A
    template that reads another attribute gets nothing (as for a missing variable) instead of someone
    else's value: add it to the key, or as a mark, first."""

    SHARED = frozenset({"is_authenticated", "is_anonymous", "role", "get_role_display", "is_staff", "has_perm"})

    def __init__(self, user):
        self._user = user

    def __getattr__(self, name):
        if name not in self.SHARED:
            raise AttributeError(name)
        return getattr(self._user, name)

    def __str__(self) -> str:
        return f"name{_MARK}"


class _MarkedRequest:
    def get_full_path(self) -> str:
        return f"path{_MARK}"


@register.simple_tag(takes_context=True)
def navbar(context) -> SafeString:
    """The navigation bar (`includes/navbar.html`) for the page's user, language, path and CSRF token."""
    user, request, token = context.get("user"), context.get("request"), context.get("csrf_token")
    if user is None or request is None or token is None or token == "NOTPROVIDED":
        return render_to_string("includes/navbar.html", context.flatten())  # as an include would
    signed_in = user.is_authenticated
    key = (_menu_key(user)[1] if signed_in else (get_language(), get_urlconf() or settings.ROOT_URLCONF,
                                                 get_script_prefix()), signed_in, getattr(user, "role", None))
    html = _bars.get(key)
    if html is None:
        html = render_to_string("includes/navbar.html", {
            "user": _MarkedUser(user), "request": _MarkedRequest(), "csrf_token": f"csrf{_MARK}"})
        _bars[key] = html
    values = {"csrf": token, "path": request.get_full_path(), "name": user}
    return mark_safe(_MARKS.sub(lambda found: conditional_escape(str(values[found[1]])), html))
