"""Suggestion pages: a need's ranked IKMs (buyer), an IKM's best open needs (owner), answers, Dinas summary.

The two fragments load by htmx into the need page and the IKM dashboard; they render the same template
as a placeholder (no queries) when included, and with their rows when fetched from here.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from profiles.models import IkmProfile
from profiles.selectors import region_scope_q

from .answers import SuggestionAnswerError, suggestion_answer
from .consortium import Consortium, Member, consortium_suggestions
from .enums import Answer, AnswerSide, NeedStatus
from .explain import Why, consortium_why, suggestion_why, taxonomy_names
from .models import Need, Suggestion, SuggestionAnswer

#: A suggestion at or above this score counts as "good" in the Dinas summary.
GOOD_SUGGESTION_SCORE = 0.6
OPPORTUNITIES_SHOWN = 10


@dataclass
class SuggestionRow:
    suggestion: Suggestion
    why: Why
    buyer_answer: str | None
    ikm_answer: str | None

    @property
    def mutual(self) -> bool:
        return self.buyer_answer == Answer.INTERESTED and self.ikm_answer == Answer.INTERESTED


def _answers(q: Q) -> dict[tuple[int, int, str], str]:
    return {(n, i, s): a for n, i, s, a in SuggestionAnswer.objects.filter(q).values_list("need_id", "ikm_id", "side",
                                                                                          "answer")}


def need_suggestion_rows(need: Need) -> tuple[list[SuggestionRow], list[tuple[Consortium, str]]]:
    """A need's stored suggestions with their "why" and both sides' answers; consortia when no one covers it.

    Four queries whatever the number of suggestions (suggestions, answers, taxonomy names x3 cached).
    """
    suggestions = list(
        Suggestion.objects.filter(need=need).select_related("ikm__kabupaten", "ikm__sentra").order_by("rank"))
    answers = _answers(Q(need=need))
    names = taxonomy_names()
    rows = [
        SuggestionRow(s, suggestion_why(s.components, names), answers.get((need.pk, s.ikm_id, AnswerSide.BUYER)),
                      answers.get((need.pk, s.ikm_id, AnswerSide.IKM)))
        for s in suggestions
    ]
    consortia = []
    if suggestions and need.status == NeedStatus.OPEN:
        required = [p[0] for p in suggestions[0].components.get("processes", [])]
        quantity = suggestions[0].components.get("quantity_tons")
        members = [
            Member(
                ikm_id=s.ikm_id, name=s.ikm.display_name, score=s.score,
                processes_met=frozenset(p[0] for p in s.components.get("processes", []) if p[1]),
                capacity=s.components.get("capacity_tons"), sentra_id=s.ikm.sentra_id,
                sentra_name=s.ikm.sentra.name if s.ikm.sentra_id else "",
                latitude=s.ikm.latitude if s.ikm.latitude is not None else s.ikm.kabupaten.latitude,
                longitude=s.ikm.longitude if s.ikm.longitude is not None else s.ikm.kabupaten.longitude,
            )
            for s in suggestions
            if answers.get((need.pk, s.ikm_id, AnswerSide.BUYER)) != Answer.NOT_RELEVANT
        ]
        for group in consortium_suggestions(members, required=required, quantity=quantity):
            consortia.append((group, consortium_why(
                processes_met=group.processes_met, processes_total=group.processes_total,
                capacity=group.capacity, quantity=quantity, same_sentra=group.same_sentra, km=group.km)))
    return rows, consortia


def ikm_opportunity_rows(ikm: IkmProfile, *, limit: int = OPPORTUNITIES_SHOWN) -> list[SuggestionRow]:
    """The open needs where this IKM is suggested, best score first, with the "why" and answers."""
    suggestions = list(
        Suggestion.objects.filter(ikm=ikm, need__status=NeedStatus.OPEN)
        .select_related("need__buyer", "need__delivery_kabupaten").order_by("-score", "need_id")[:limit])
    answers = _answers(Q(ikm=ikm, need_id__in=[s.need_id for s in suggestions]))
    names = taxonomy_names()
    return [
        SuggestionRow(s, suggestion_why(s.components, names), answers.get((s.need_id, ikm.pk, AnswerSide.BUYER)),
                      answers.get((s.need_id, ikm.pk, AnswerSide.IKM)))
        for s in suggestions
    ]


def matching_summary(user) -> tuple[QuerySet, QuerySet]:
    """Per open need (delivered in the user's region) and per IKM region: good suggestions and answered ones."""
    answered = SuggestionAnswer.objects.filter(need_id=OuterRef("need_id"), ikm_id=OuterRef("ikm_id"))
    good = Q(score__gte=GOOD_SUGGESTION_SCORE)
    per_need = (
        Suggestion.objects.filter(good, need__status=NeedStatus.OPEN)
        .filter(region_scope_q(user, kabupaten_field="need__delivery_kabupaten"))
        .annotate(answered=Exists(answered))
        .values("need_id", "need__title", "need__buyer__name")
        .annotate(good=Count("id"), answered_count=Count("id", filter=Q(answered=True)))
        .order_by("-good", "need__title")
    )
    per_region = (
        Suggestion.objects.filter(good, need__status=NeedStatus.OPEN)
        .filter(region_scope_q(user, kabupaten_field="ikm__kabupaten"))
        .annotate(answered=Exists(answered))
        .values("ikm__kabupaten__name")
        .annotate(good=Count("id"), answered_count=Count("id", filter=Q(answered=True)),
                  needs=Count("need_id", distinct=True), ikms=Count("ikm_id", distinct=True))
        .order_by("-good", "ikm__kabupaten__name")
    )
    return per_need, per_region


# --- views ----------------------------------------------------------------------------------------------


def _need_fragment(request, need: Need):
    rows, consortia = need_suggestion_rows(need)
    return render(request, "matchmaking/_need_suggestions.html", {
        "need": need, "suggestions_loaded": True, "suggestion_rows": rows, "consortia": consortia,
        "can_answer": request.user.has_perm("matchmaking.answer_suggestion_as_buyer", need)})


def _ikm_fragment(request, ikm: IkmProfile):
    return render(request, "matchmaking/_ikm_opportunities.html", {
        "ikm": ikm, "opportunities_loaded": True, "opportunity_rows": ikm_opportunity_rows(ikm),
        "can_answer": request.user.has_perm("matchmaking.answer_suggestion_as_ikm", ikm)})


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
