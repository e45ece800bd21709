"""Partnership pages: the list (by role), one partnership with its forms, Dinas recording, the e-mailed link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from ikmportal.forms import search_text
from profiles.models import IkmProfile, User
from profiles.selectors import region_scope_q

from ..enums import PARTNERSHIP_ROAD, NeedStatus, PartnershipOrigin, PartnershipStage
from ..exceptions import PartnershipError
from ..models import Need, Partnership
from . import services
from .forms import AdvanceForm, OrderForm, ReasonForm, RecordForm
from .reminders import read_update_token
from .selectors import partnership_detail_queryset, partnership_list


@login_required
@permission_required("matchmaking.browse_partnerships", raise_exception=True)
def partnership_index(request):
    stage = request.GET.get("stage", "open")
    q = search_text(request.GET)
    page = Paginator(partnership_list(request.user, stage=stage, query=q), 25).get_page(request.GET.get("page"))
    return render(request, "matchmaking/partnership_list.html", {
        "page": page, "stage": stage, "q": q, "stages": PartnershipStage.choices,
        "can_record": request.user.has_perm("matchmaking.record_partnership")})


def _partnership(request, pk: int, perm: str, *, acting: User | None = None) -> Partnership:
    partnership = get_object_or_404(partnership_detail_queryset(), pk=pk)
    if not (acting or request.user).has_perm(perm, partnership):
        raise Http404
    return partnership


def _forms(partnership: Partnership, data=None, which: str = "") -> dict:
    """The page's forms; only the one that was posted is bound."""
    return {
        "advance_form": AdvanceForm(data if which == "advance" else None, partnership=partnership,
                                    prefix="advance"),
        "order_form": OrderForm(data if which == "order" else None, prefix="order"),
        "end_form": ReasonForm(data if which == "end" else None, prefix="end"),
        "curation_form": ReasonForm(data if which == "curation" else None, prefix="curation"),
    }


def _apply(request, partnership: Partnership, by: User) -> tuple[bool, dict]:
    """Carry out the posted action as ``by``; (done, the page's forms)."""
    which = request.POST.get("action", "")
    forms = _forms(partnership, request.POST, which)
    try:
        if which == "unchanged":
            services.partnership_confirm_unchanged(partnership=partnership, by=by)
        elif which == "advance" and forms["advance_form"].is_valid():
            data = forms["advance_form"].cleaned_data
            services.partnership_advance(partnership=partnership, by=by, to_stage=data["to_stage"],
                                         note=data["note"])
        elif which == "order" and forms["order_form"].is_valid():
            data = forms["order_form"].cleaned_data
            services.purchase_order_add(partnership=partnership, by=by, value_idr=data["value_idr"],
                                        order_date=data["order_date"], number=data["number"])
        elif which == "curation" and forms["curation_form"].is_valid():
            services.partnership_curation_fail(partnership=partnership, by=by,
                                               reason=forms["curation_form"].cleaned_data["reason"])
        elif which == "end" and forms["end_form"].is_valid():
            services.partnership_end(partnership=partnership, by=by, reason=forms["end_form"].cleaned_data["reason"])
        else:
            messages.error(request, _("Please correct the errors below."))
            return False, forms
    except PartnershipError as exc:
        messages.error(request, str(exc))
        return False, forms
    messages.success(request, _("Partnership updated. Thank you."))
    return True, forms


def _context(partnership: Partnership, forms: dict, *, can_change: bool) -> dict:
    road = [(stage, PartnershipStage(stage).label) for stage in PARTNERSHIP_ROAD]
    reached = PARTNERSHIP_ROAD.index(partnership.stage) if partnership.stage in PARTNERSHIP_ROAD else -1
    return {"partnership": partnership, "road": road, "reached": reached, "can_change": can_change and
            partnership.is_open, "before_curation_end": reached <= PARTNERSHIP_ROAD.index(PartnershipStage.CURATION),
            "order_total": sum(o.value_idr for o in partnership.orders.all()), **forms}


@login_required
def partnership_detail(request, pk: int):
    partnership = _partnership(request, pk, "matchmaking.view_partnership")
    can_change = request.user.has_perm("matchmaking.change_partnership", partnership)
    forms = _forms(partnership)
    if request.method == "POST":
        if not can_change:
            raise Http404
        done, forms = _apply(request, partnership, request.user)
        if done:
            return redirect("matchmaking:partnership_detail", pk=partnership.pk)
        partnership = _partnership(request, pk, "matchmaking.view_partnership")
    return render(request, "matchmaking/partnership_detail.html", _context(partnership, forms, can_change=can_change))


def partnership_update_link(request, token: str):
    """The one-click link of an update request: acts as the person it was sent to, for this partnership only."""
    found = read_update_token(token)
    person = User.objects.filter(pk=found[1], is_active=True).first() if found else None
    if person is None:
        return render(request, "matchmaking/partnership_link_invalid.html", status=404)
    partnership = get_object_or_404(partnership_detail_queryset(), pk=found[0])
    if not person.has_perm("matchmaking.change_partnership", partnership):
        return render(request, "matchmaking/partnership_link_invalid.html", status=404)
    forms = _forms(partnership)
    if request.method == "POST":
        done, forms = _apply(request, partnership, person)
        if done:
            return redirect("matchmaking:partnership_update_link", token=token)
        partnership = get_object_or_404(partnership_detail_queryset(), pk=found[0])
    return render(request, "matchmaking/partnership_detail.html",
                  {**_context(partnership, forms, can_change=True), "acting": person, "via_link": True})


@login_required
@permission_required("matchmaking.record_partnership", raise_exception=True)
def partnership_record(request):
    ikms = IkmProfile.objects.filter(region_scope_q(request.user)).select_related("kabupaten").order_by("name")
    search = search_text(request.GET)
    form = RecordForm(request.POST or None, ikm_queryset=ikms, search=search)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            partnership = services.partnership_record(
                by=request.user, ikm=data["ikm"], buyer=data["buyer"], stage=data["stage"], product=data["product"],
                note=data["note"], order_value=data["order_value"], order_date=data["order_date"])
        except PartnershipError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Partnership recorded."))
            return redirect("matchmaking:partnership_detail", pk=partnership.pk)
    return render(request, "matchmaking/partnership_record.html", {"form": form, "q": search})


@login_required
@require_POST
def partnership_from_suggestion(request, need_pk: int, ikm_pk: int):
    """Buyer staff (or the IKM's owner) start a partnership from a suggestion of a need."""
    need = get_object_or_404(Need.objects.select_related("buyer"), pk=need_pk)
    ikm = get_object_or_404(IkmProfile, pk=ikm_pk)
    user = request.user
    if not (user.has_perm("matchmaking.answer_suggestion_as_buyer", need)
            or (user.has_perm("matchmaking.answer_suggestion_as_ikm", ikm) and need.status == NeedStatus.OPEN)):
        raise Http404
    partnership, created = services.partnership_open(
        ikm=ikm, buyer=need.buyer, by=user, origin=PartnershipOrigin.SUGGESTION, need=need, product=need.title,
        note=_("Started from the suggestion for “%(need)s”.") % {"need": need.title})
    if created:
        messages.success(request, _("Partnership started. Keep it up to date as it moves on."))
    else:
        messages.info(request, _("These two already have an open partnership."))
    return redirect("matchmaking:partnership_detail", pk=partnership.pk)
