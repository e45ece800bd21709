"""Pages for buyer needs: buyer staff post and manage them; IKM owners browse them as opportunities."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from ikmportal.forms import search_text
from ikmportal.rendering import render_released_to_string
from profiles.models import IkmProfile
from profiles.selectors import ikm_detail_queryset

from .cards import shortlist_form, shortlist_form_parts, supplier_cards
from .enums import NeedStatus
from .exceptions import NeedError
from .exports import shortlist_xlsx
from .filters import OpportunityFilter, SupplierFilter, invalid_filter_labels
from .forms import AttachmentForm, NeedForm
from .models import Need, NeedAttachment
from .reference_cache import filter_fields_html
from .search import ikm_search_page
from .selectors import (
    directory_card_queryset,
    directory_cards_by_id,
    need_detail_queryset,
    needs_of_organisation,
    open_needs,
    requirement_fit,
    shortlist_needs,
)
from .services import need_attachment_add, need_save, need_status_set, shortlist_entry_add


def _need_for(request, pk: int, perm: str) -> Need:
    need = get_object_or_404(need_detail_queryset(), pk=pk)
    if not request.user.has_perm(perm, need):
        # A need one may not even see does not exist for them.
        if perm == "matchmaking.view_need" or not request.user.has_perm("matchmaking.view_need", need):
            raise Http404
        raise PermissionDenied
    return need


@login_required
@permission_required("matchmaking.post_needs", raise_exception=True)
def need_list(request):
    needs = needs_of_organisation(request.user.buyer_organisation)
    page = Paginator(needs, 25).get_page(request.GET.get("page"))
    return render(request, "matchmaking/need_list.html", {"page": page})


@login_required
@permission_required("matchmaking.post_needs", raise_exception=True)
def need_create(request):
    return _need_form(request, Need())


@login_required
def need_edit(request, pk: int):
    return _need_form(request, _need_for(request, pk, "matchmaking.change_need"))


def _need_form(request, need: Need):
    form = NeedForm(request.POST or None, instance=need)
    if request.method == "POST" and form.is_valid():
        try:
            need = need_save(need=form.save(commit=False), by=request.user, **form.requirements())
        except NeedError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Need saved."))
            return redirect("matchmaking:need_detail", pk=need.pk)
    return render(request, "matchmaking/need_form.html", {"form": form, "need": need})


def need_detail(request, pk: int):
    need = _need_for(request, pk, "matchmaking.view_need")
    user = request.user
    fits = []
    if user.is_authenticated and user.is_ikm_owner:
        fits = [(ikm, requirement_fit(need, ikm)) for ikm in ikm_detail_queryset().filter(owner=user)]
    return render(request, "matchmaking/need_detail.html", {
        "need": need,
        "can_edit": user.has_perm("matchmaking.change_need", need),
        "show_confidential": user.has_perm("matchmaking.view_need_confidential", need),
        "fits": fits,
        "attachment_form": AttachmentForm(),
        "transitions": _transitions(need) if user.has_perm("matchmaking.change_need", need) else [],
    })


def _transitions(need: Need):
    from .services import ALLOWED_TRANSITIONS

    return [(status, NeedStatus(status).label) for status in sorted(ALLOWED_TRANSITIONS[NeedStatus(need.status)])]


@login_required
@require_POST
def need_status(request, pk: int):
    need = _need_for(request, pk, "matchmaking.change_need")
    try:
        need_status_set(need=need, by=request.user, status=request.POST.get("status", ""))
    except NeedError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The need is now %(status)s.") % {"status": need.get_status_display()})
    return redirect("matchmaking:need_detail", pk=need.pk)


@login_required
@require_POST
def need_attachment_upload(request, pk: int):
    need = _need_for(request, pk, "matchmaking.change_need")
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            need_attachment_add(need=need, by=request.user, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except NeedError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Drawing attached."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("matchmaking:need_detail", pk=need.pk)


@login_required
def need_attachment_download(request, pk: int, attachment_pk: int):
    """Confidential drawings are only ever served here, after the permission check."""
    need = _need_for(request, pk, "matchmaking.view_need_confidential")
    attachment = get_object_or_404(NeedAttachment, pk=attachment_pk, need=need)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=attachment.original_name,
                        content_type=attachment.content_type)


@login_required
@permission_required("matchmaking.browse_opportunities", raise_exception=True)
def opportunities(request):
    """'Peluang': open needs for IKM owners, filtered, with which requirements each of their IKMs meets.
    A filter with an invalid value is left out, and the page names it."""
    filterset = OpportunityFilter(request.GET or None, queryset=open_needs())
    needs = filterset.qs.distinct()
    page = Paginator(needs, 20).get_page(request.GET.get("page"))
    ikms = list(ikm_detail_queryset().filter(owner=request.user))
    rows = [(need, [(ikm, requirement_fit(need, ikm)) for ikm in ikms]) for need in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "matchmaking/opportunities.html", {
        "filter": filterset, "page": page, "rows": rows, "query": query.urlencode(),
        "ignored_filters": invalid_filter_labels(filterset)})


DIRECTORY_PAGE_SIZE = 20


#: Stands for the results in the page around them (rendered while PostgreSQL ranks the results).
_RESULTS_MARK = mark_safe(f"<!--results {uuid.uuid4().hex}-->")


@login_required
@permission_required("profiles.search_suppliers", raise_exception=True)
def supplier_directory(request):
    """Filters and Indonesian full-text search; htmx swaps only the results, the URL keeps the query.
    A filter with an invalid value is left out, and the results name it."""
    filterset = SupplierFilter(request.GET or None, queryset=directory_card_queryset())
    suppliers = filterset.qs
    query_text = search_text(request.GET, limit=200)
    around: dict = {}

    def meanwhile():
        """What does not need the results, made while PostgreSQL ranks them (some 2 ms of a page): the page
        around the results and the cards' shortlist form, then the buyer's needs (a query, so it waits for the
        ranking). Called once."""
        around["page"] = None if request.headers.get("HX-Request") else render_released_to_string(
            request, "matchmaking/supplier_directory.html", {
                "filter": filterset, "q": query_text, "filter_fields": filter_fields_html(filterset.form),
                "results": _RESULTS_MARK})
        buyer = request.user.is_buyer_staff
        around["shortlist"] = shortlist_form_parts(request) if buyer else None
        around["needs"] = shortlist_needs(request.user) if buyer else []

    page = ikm_search_page(suppliers, query_text, request.GET.get("page"), per_page=DIRECTORY_PAGE_SIZE,
                           rows=directory_cards_by_id, meanwhile=meanwhile)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter": filterset, "page": page, "cards": supplier_cards(page), "q": query_text,
               "query": query.urlencode(), "shortlist": shortlist_form(around["shortlist"], around["needs"]),
               "ignored_filters": invalid_filter_labels(filterset)}
    # The page's objects freed with the request, not by the garbage collector (ikmportal.rendering).
    results = render_released_to_string(request, "matchmaking/_supplier_results.html", context)
    filterset.release()
    return HttpResponse(results if around["page"] is None else around["page"].replace(_RESULTS_MARK, results, 1))


@login_required
@require_POST
def shortlist_add(request):
    need_id, ikm_id = request.POST.get("need", ""), request.POST.get("ikm", "")
    if not (need_id.isdigit() and ikm_id.isdigit()):
        raise Http404
    need = _need_for(request, int(need_id), "matchmaking.change_need")
    ikm = get_object_or_404(IkmProfile, pk=int(ikm_id))
    shortlist_entry_add(need=need, ikm=ikm, by=request.user, note=request.POST.get("note", ""))
    messages.success(request, _("%(ikm)s added to the shortlist of %(need)s.") % {"ikm": ikm.name, "need": need.title})
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/") else reverse("matchmaking:shortlist", args=[need.pk]))


@login_required
def shortlist(request, pk: int):
    need = _need_for(request, pk, "matchmaking.change_need")
    entries = need.shortlist.select_related("ikm__kabupaten", "added_by").prefetch_related("ikm__processes")
    return render(request, "matchmaking/shortlist.html", {"need": need, "entries": entries})


@login_required
@require_POST
def shortlist_remove(request, pk: int, entry_pk: int):
    need = _need_for(request, pk, "matchmaking.change_need")
    need.shortlist.filter(pk=entry_pk).delete()
    return redirect("matchmaking:shortlist", pk=need.pk)


@login_required
def shortlist_export(request, pk: int):
    need = _need_for(request, pk, "matchmaking.change_need")
    content = shortlist_xlsx(need)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="shortlist-{need.pk}.xlsx"'
    return response
