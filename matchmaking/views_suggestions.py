"""Suggestion pages: a need's ranked IKMs (buyer), an IKM's best open needs (owner), answers, Dinas summary.

The two fragments load by htmx into the need page and the IKM dashboard; they render the same template
as a placeholder (no queries) when included, and with their rows when fetched from here.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from profiles.enums import GroupKind
from profiles.exceptions import ProfileError
from profiles.groups import group_create
from profiles.models import IkmProfile

from .answers import SuggestionAnswerError, suggestion_answer
from .enums import Answer, AnswerSide
from .models import Need
from .selectors import GOOD_SUGGESTION_SCORE, ikm_opportunity_rows, matching_summary, need_suggestion_rows

# --- views ----------------------------------------------------------------------------------------------


def _formable(user, consortia) -> list[bool]:
    """For each suggested consortium, whether this person may form it as a supplier group: Dinas staff
    (the service then checks their region), or an IKM owner who owns one of its members."""
    if not user.has_perm("profiles.create_group") or not consortia:
        return [False] * len(consortia)
    if user.is_dinas_staff:
        return [True] * len(consortia)
    member_ids = {m.ikm_id for group, _why in consortia for m in group.members}
    own = set(IkmProfile.objects.filter(owner=user, pk__in=member_ids).values_list("pk", flat=True))
    return [any(m.ikm_id in own for m in group.members) for group, _why in consortia]


def _fragment(request, template: str, context: dict, *, page_title: str, back_url: str, back_label: str):
    """The fragment for htmx; opened directly (no JavaScript, a bookmark), the same inside the site's page."""
    if request.headers.get("HX-Request"):
        return render(request, template, context)
    return render(request, "matchmaking/fragment_page.html", {
        **context, "fragment": template, "page_title": page_title, "back_url": back_url, "back_label": back_label})


def _need_fragment(request, need: Need):
    rows, consortia = need_suggestion_rows(need)
    consortia = [(group, why, can_form) for (group, why), can_form in zip(consortia, _formable(request.user, consortia),
                                                                          strict=True)]
    return _fragment(request, "matchmaking/_need_suggestions.html", {
        "need": need, "suggestions_loaded": True, "suggestion_rows": rows, "consortia": consortia,
        "can_answer": request.user.has_perm("matchmaking.answer_suggestion_as_buyer", need)},
        page_title=need.title, back_url=reverse("matchmaking:need_detail", args=[need.pk]),
        back_label=_("Back to the need"))


def _ikm_fragment(request, ikm: IkmProfile):
    return _fragment(request, "matchmaking/_ikm_opportunities.html", {
        "ikm": ikm, "opportunities_loaded": True, "opportunity_rows": ikm_opportunity_rows(ikm),
        "can_answer": request.user.has_perm("matchmaking.answer_suggestion_as_ikm", ikm)},
        page_title=ikm.display_name, back_url=reverse("profiles:dashboard"), back_label=_("Back to the dashboard"))


@login_required
def need_suggestions(request, pk: int):
    need = get_object_or_404(Need.objects.select_related("buyer"), pk=pk)
    if not request.user.has_perm("matchmaking.view_need_suggestions", need):
        raise Http404
    return _need_fragment(request, need)


@login_required
def ikm_opportunities(request, pk: int):
    ikm = get_object_or_404(IkmProfile, pk=pk)
    if not request.user.has_perm("matchmaking.view_ikm_opportunities", ikm):
        raise Http404
    return _ikm_fragment(request, ikm)


@login_required
@require_POST
def suggestion_answer_view(request, need_pk: int, ikm_pk: int):
    need = get_object_or_404(Need.objects.select_related("buyer"), pk=need_pk)
    ikm = get_object_or_404(IkmProfile, pk=ikm_pk)
    side, answer = request.POST.get("side", ""), request.POST.get("answer", "")
    if side not in AnswerSide.values or answer not in Answer.values:
        return HttpResponseBadRequest()
    try:
        suggestion_answer(need=need, ikm=ikm, by=request.user, side=side, answer=answer)
    except SuggestionAnswerError as exc:
        if request.headers.get("HX-Request"):
            raise PermissionDenied(str(exc)) from exc
        messages.error(request, str(exc))
    if request.headers.get("HX-Request"):
        return _need_fragment(request, need) if side == AnswerSide.BUYER else _ikm_fragment(request, ikm)
    return redirect("matchmaking:need_detail", need.pk)


@login_required
@permission_required("matchmaking.view_matching_summary", raise_exception=True)
def dinas_matching_summary(request):
    per_need, per_region = matching_summary(request.user)
    return render(request, "matchmaking/dinas_matching_summary.html", {
        "per_need": per_need[:200], "per_region": per_region, "good_score": GOOD_SUGGESTION_SCORE})


@login_required
@require_POST
def consortium_group_create(request, pk: int):
    """"Form this consortium": make one of the need's suggested consortia a supplier group (konsorsium)."""
    need = get_object_or_404(Need.objects.select_related("buyer"), pk=pk)
    if not (request.user.has_perm("profiles.create_group") and request.user.has_perm("matchmaking.view_need", need)):
        raise PermissionDenied
    wanted = {int(v) for v in request.POST.getlist("member") if v.isdigit()}
    _rows, consortia = need_suggestion_rows(need)
    group = next((g for g, _why in consortia if {m.ikm_id for m in g.members} == wanted), None)
    if group is None:
        messages.error(request, _("This consortium is no longer suggested for the need."))
        return redirect("matchmaking:need_detail", need.pk)
    members = list(IkmProfile.objects.filter(pk__in=wanted).select_related("kabupaten"))
    by_score = sorted(members, key=lambda ikm: [m.ikm_id for m in group.members].index(ikm.pk))
    home = next((ikm for ikm in by_score if ikm.owner_id == request.user.pk), by_score[0]).kabupaten
    try:
        made = group_create(by=request.user, name=(_("Consortium for %(need)s") % {"need": need.title})[:200],
                            kind=GroupKind.KONSORSIUM, kabupaten=home, members=members)
    except ProfileError as exc:
        messages.error(request, str(exc))
        return redirect("matchmaking:need_detail", need.pk)
    messages.success(request, _("The consortium %(name)s is formed.") % {"name": made.name})
    return redirect("profiles:group_detail", made.pk)
