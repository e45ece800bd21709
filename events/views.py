"""Event pages: thin, they parse, check permission with rules, call a service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from ikmportal.forms import search_text
from profiles.models import IkmProfile
from profiles.selectors import region_scope_q

from . import services
from .agenda import agenda_ics, agenda_pdf, checkin_qr_data_uri
from .enums import (
    EVENT_TRANSITIONS,
    FOLLOW_UP_RESULTS,
    EventStatus,
    MeetingStatus,
    ParticipantKind,
    RegistrationStatus,
)
from .forms import (
    BuyerRegistrationForm,
    DinasMeetingForm,
    EventForm,
    IkmRegistrationForm,
    MeetingPlaceForm,
    MeetingRequestForm,
    OnBehalfRegistrationForm,
    OutcomeForm,
    ParticipantImportForm,
    ScheduleRunForm,
)
from .models import Event, Meeting, MeetingRequest, Registration
from .selectors import (
    agenda_for,
    counterparts_for,
    current_slot,
    event_report,
    events_for,
    latest_run,
    meetings_of,
    registrations_acted_for,
    registrations_of,
    requests_of,
)
from .services import EventError


def _event(request, pk: int, perm: str) -> Event:
    event = get_object_or_404(Event.objects.select_related("kabupaten"), pk=pk)
    if not request.user.has_perm(perm, event):
        raise PermissionDenied
    return event


def _registration(request, pk: int, perm: str) -> Registration:
    registration = get_object_or_404(Registration.objects.select_related("event__kabupaten", "ikm", "buyer"), pk=pk)
    if not request.user.has_perm(perm, registration):
        raise PermissionDenied
    return registration


def _meeting(request, pk: int, perm: str) -> Meeting:
    meeting = get_object_or_404(meetings_of_all().select_related("event__kabupaten"), pk=pk)
    if not request.user.has_perm(perm, meeting):
        raise PermissionDenied
    return meeting


def meetings_of_all():
    return Meeting.objects.select_related("request__requester__ikm", "request__requester__buyer",
                                          "request__recipient__ikm", "request__recipient__buyer")


def _form_errors(request, form) -> None:
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))


def _back(request, fallback: str, *args):
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(fallback, *args)


# --- Organising ---------------------------------------------------------------------------------------


@login_required
@permission_required("events.browse_events", raise_exception=True)
def event_list(request):
    return render(request, "events/event_list.html", {"events": events_for(request.user)})


@login_required
@permission_required("events.organise_events", raise_exception=True)
def event_create(request):
    form = EventForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(by=request.user, **form.service_fields())
        except EventError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Event created as a draft. Open registration when it is ready."))
            return redirect("events:event_detail", pk=event.pk)
    return render(request, "events/event_form.html", {"form": form})


@login_required
def event_edit(request, pk: int):
    event = _event(request, pk, "events.manage_event")
    form = EventForm(request.POST or None, instance=event, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(event=Event.objects.get(pk=pk), by=request.user, **form.service_fields())
        except EventError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect("events:event_detail", pk=event.pk)
    return render(request, "events/event_form.html", {"form": form, "event": event})


@login_required
def event_detail(request, pk: int):
    event = _event(request, pk, "events.view_event")
    mine = registrations_acted_for(request.user, event)
    context = {"event": event, "mine": mine, "slots": event.slots(),
               "can_manage": request.user.has_perm("events.manage_event", event),
               "transitions": [(s, EventStatus(s).label) for s in EVENT_TRANSITIONS[event.status]]}
    if request.user.is_ikm_owner:
        registered = {r.ikm_id for r in mine}
        ikms = IkmProfile.objects.filter(owner=request.user).exclude(pk__in=registered)
        context["ikm_form"] = IkmRegistrationForm(ikms=ikms) if ikms.exists() else None
    elif request.user.is_buyer_staff and not mine:
        context["buyer_form"] = BuyerRegistrationForm()
    return render(request, "events/event_detail.html", context)


@login_required
@require_POST
def event_status(request, pk: int):
    event = _event(request, pk, "events.manage_event")
    try:
        services.event_status_set(event=event, by=request.user, status=request.POST.get("status", ""))
    except EventError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Status: %(status)s.") % {"status": event.get_status_display()})
    return _back(request, "events:event_detail", event.pk)


# --- Registrations ------------------------------------------------------------------------------------


@login_required
@require_POST
def event_register(request, pk: int):
    event = _event(request, pk, "events.view_event")
    if not request.user.has_perm("events.take_part"):
        raise PermissionDenied
    try:
        if request.user.is_ikm_owner:
            form = IkmRegistrationForm(request.POST, ikms=IkmProfile.objects.filter(owner=request.user))
            if not form.is_valid():
                raise EventError(_("Choose one of your businesses."))
            registration = services.registration_create(event=event, by=request.user, ikm=form.cleaned_data["ikm"])
        else:
            form = BuyerRegistrationForm(request.POST)
            if not form.is_valid():
                raise EventError(_("Say how many representatives meet in parallel (1–20)."))
            registration = services.registration_create(event=event, by=request.user,
                                                        buyer=request.user.buyer_organisation,
                                                        seats=form.cleaned_data["seats"])
    except EventError as exc:
        messages.error(request, str(exc))
        return redirect("events:event_detail", pk=event.pk)
    messages.success(request, _("Registered. The organiser will confirm your place."))
    return redirect("events:participant", pk=registration.pk)


@login_required
def registration_list(request, pk: int):
    event = _event(request, pk, "events.manage_event")
    registered_ikms = event.registrations.filter(ikm__isnull=False).values("ikm_id")
    ikms = IkmProfile.objects.filter(region_scope_q(request.user)).exclude(pk__in=registered_ikms)
    form = OnBehalfRegistrationForm(request.POST or None, ikms=ikms)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.registration_create(event=event, by=request.user, ikm=form.cleaned_data["ikm"])
            except EventError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("%(ikm)s is registered.") % {"ikm": form.cleaned_data["ikm"].display_name})
                return redirect("events:registration_list", pk=event.pk)
        else:
            _form_errors(request, form)
    return render(request, "events/registration_list.html", {
        "event": event, "registrations": registrations_of(event), "form": form,
        "import_form": ParticipantImportForm()})


@login_required
@require_POST
def registration_decide(request, pk: int):
    registration = _registration(request, pk, "events.manage_registration")
    try:
        services.registration_decide(registration=registration, by=request.user,
                                     approve=request.POST.get("decision") == "approve")
    except EventError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(name)s: %(status)s.") % {
            "name": registration.name, "status": registration.get_status_display()})
    return redirect("events:registration_list", pk=registration.event_id)


@login_required
@require_POST
def participant_import(request, pk: int):
    event = _event(request, pk, "events.manage_event")
    form = ParticipantImportForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("events:registration_list", pk=event.pk)
    from .importing import participants_import

    try:
        result = participants_import(event=event, by=request.user, data=form.cleaned_data["file"].read())
    except EventError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(count)d participants registered.") % {"count": result.created})
        for error in result.errors[:20]:
            messages.warning(request, error)
    return redirect("events:registration_list", pk=event.pk)


# --- Taking part --------------------------------------------------------------------------------------


@login_required
def participant(request, pk: int):
    """A participant's page: availability, requests made and received, counterparts to request."""
    registration = _registration(request, pk, "events.view_registration")
    event = registration.event
    requests = requests_of(event).filter(Q(requester=registration) | Q(recipient=registration))
    return render(request, "events/participant.html", {
        "event": event, "registration": registration,
        "slots": event.slots(), "unavailable": set(registration.unavailable_slots),
        "received": [r for r in requests if r.recipient_id == registration.pk],
        "made": [r for r in requests if r.requester_id == registration.pk],
        "counterparts": counterparts_for(registration) if registration.is_approved else [],
        "request_form": MeetingRequestForm(),
    })


@login_required
@require_POST
def availability(request, pk: int):
    registration = _registration(request, pk, "events.view_registration")
    try:
        slots = [int(s) for s in request.POST.getlist("unavailable")]
        services.registration_availability_set(registration=registration, by=request.user, unavailable=slots)
    except ValueError:
        messages.error(request, _("Unknown time slot."))
    except EventError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your availability is saved."))
    return redirect("events:participant", pk=registration.pk)


@login_required
@require_POST
def request_create(request, pk: int):
    registration = _registration(request, pk, "events.view_registration")
    form = MeetingRequestForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("events:participant", pk=registration.pk)
    recipient = Registration.objects.select_related("ikm", "buyer").filter(
        pk=form.cleaned_data["recipient"], event=registration.event).first()
    try:
        if recipient is None:
            raise EventError(_("You can only request meetings with approved participants of this event."))
        services.meeting_request_create(requester=registration, recipient=recipient, by=request.user,
                                        priority=form.cleaned_data["priority"],
                                        part_of_day=form.cleaned_data["part_of_day"])
    except EventError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Meeting requested with %(name)s.") % {"name": recipient.name})
    return redirect("events:participant", pk=registration.pk)


@login_required
@require_POST
def request_answer(request, pk: int):
    meeting_request = get_object_or_404(
        MeetingRequest.objects.select_related("event__kabupaten", "recipient__ikm", "recipient__buyer",
                                              "requester__ikm", "requester__buyer"), pk=pk)
    if not request.user.has_perm("events.answer_request", meeting_request):
        raise PermissionDenied
    try:
        services.meeting_request_answer(meeting_request=meeting_request, by=request.user,
                                        accept=request.POST.get("answer") == "accept")
    except EventError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Answer saved: %(status)s.") % {"status": meeting_request.get_status_display()})
    return _back(request, "events:participant", meeting_request.recipient_id)


@login_required
@require_POST
def request_withdraw(request, pk: int):
    meeting_request = get_object_or_404(
        MeetingRequest.objects.select_related("event__kabupaten", "requester__ikm", "requester__buyer"), pk=pk)
    try:
        services.meeting_request_withdraw(meeting_request=meeting_request, by=request.user)
    except EventError as exc:
        if not request.user.has_perm("events.view_registration", meeting_request.requester):
            raise PermissionDenied from exc
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Request withdrawn."))
    return _back(request, "events:participant", meeting_request.requester_id)


@login_required
def agenda(request, pk: int):
    registration = _registration(request, pk, "events.view_registration")
    event = registration.event
    visible = event.schedule_visible or request.user.has_perm("events.manage_event", event)
    return render(request, "events/agenda.html", {
        "event": event, "registration": registration, "rows": agenda_for(registration) if visible else [],
        "visible": visible, "qr": checkin_qr_data_uri(registration),
        "can_record": request.user.has_perm("events.act_for_registration", registration)})


@login_required
def agenda_calendar(request, pk: int):
    registration = _registration(request, pk, "events.view_registration")
    rows = agenda_for(registration) if registration.event.schedule_visible else []
    response = HttpResponse(agenda_ics(registration, rows), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="agenda-{registration.event_id}-{registration.pk}.ics"'
    return response


@login_required
def agenda_document(request, pk: int):
    registration = _registration(request, pk, "events.view_registration")
    rows = agenda_for(registration) if registration.event.schedule_visible else []
    response = HttpResponse(agenda_pdf(registration, rows), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="agenda-{registration.event_id}-{registration.pk}.pdf"'
    return response


@login_required
def outcome(request, pk: int):
    meeting = _meeting(request, pk, "events.record_outcome")
    form = OutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.outcome_record(meeting=meeting, by=request.user, result=form.cleaned_data["result"],
                                    notes=form.cleaned_data["notes"])
        except EventError as exc:
            messages.error(request, str(exc))
        else:
            if form.cleaned_data["result"] in FOLLOW_UP_RESULTS:
                messages.success(request, _("Outcome saved. Follow the partnership that came of it under "
                                            "“Partnerships”."))
            else:
                messages.success(request, _("Outcome saved. Thank you."))
            mine = meeting.request.requester if services.acts_for(request.user, meeting.request.requester) \
                else meeting.request.recipient
            return redirect("events:agenda", pk=mine.pk)
    return render(request, "events/outcome_form.html", {"meeting": meeting, "form": form,
                                                        "event": meeting.event})


# --- Requests and scheduling (Dinas) ------------------------------------------------------------------


@login_required
def request_list(request, pk: int):
    event = _event(request, pk, "events.manage_event")
    form = DinasMeetingForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            registrations = {r.pk: r for r in event.registrations.select_related("ikm", "buyer").filter(
                pk__in=[form.cleaned_data["ikm_registration"], form.cleaned_data["buyer_registration"]])}
            try:
                ikm = registrations.get(form.cleaned_data["ikm_registration"])
                buyer = registrations.get(form.cleaned_data["buyer_registration"])
                if ikm is None or buyer is None:
                    raise EventError(_("Choose one IKM and one buyer of this event."))
                services.meeting_add_by_dinas(ikm_registration=ikm, buyer_registration=buyer, by=request.user,
                                              priority=form.cleaned_data["priority"])
            except EventError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Meeting added: %(ikm)s and %(buyer)s.") % {
                    "ikm": ikm.name, "buyer": buyer.name})
                return redirect("events:request_list", pk=event.pk)
        else:
            _form_errors(request, form)
    approved = registrations_of(event).filter(status=RegistrationStatus.APPROVED)
    return render(request, "events/request_list.html", {
        "event": event, "requests": requests_of(event), "form": form,
        "ikms": [r for r in approved if r.kind == ParticipantKind.IKM],
        "buyers": [r for r in approved if r.kind == ParticipantKind.BUYER]})


@login_required
def schedule(request, pk: int):
    event = _event(request, pk, "events.manage_event")
    run = latest_run(event)
    slots = event.slots()
    meetings = [(slots[m.slot] if m.slot < len(slots) else None, m) for m in meetings_of(event)]
    requests = {r.pk: r for r in requests_of(event)} if run and run.unscheduled else {}
    unscheduled = [(requests.get(u["request"]), u["reason"]) for u in (run.unscheduled if run else [])]
    return render(request, "events/schedule.html", {
        "event": event, "run": run, "slots": slots, "meetings": meetings, "unscheduled": unscheduled,
        "form": ScheduleRunForm(), "tables": range(1, event.tables + 1)})


@login_required
@require_POST
def schedule_run(request, pk: int):
    event = _event(request, pk, "events.manage_event")
    form = ScheduleRunForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("events:schedule", pk=event.pk)
    try:
        services.schedule_run_request(event=event, by=request.user, seconds=form.cleaned_data["seconds"])
    except EventError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The scheduler is running; reload this page in a moment."))
    return redirect("events:schedule", pk=event.pk)


@login_required
@require_POST
def meeting_place(request, pk: int):
    meeting = _meeting(request, pk, "events.manage_meeting")
    form = MeetingPlaceForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("events:schedule", pk=meeting.event_id)
    table = form.cleaned_data["table"]
    try:
        services.meeting_lock_set(meeting=meeting, by=request.user, locked=form.cleaned_data["locked"],
                                  slot=form.cleaned_data["slot"], table=None if table is None else table - 1)
    except EventError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Meeting saved."))
    return redirect("events:schedule", pk=meeting.event_id)


@login_required
def table_sheets(request, pk: int):
    event = _event(request, pk, "events.manage_event")
    slots = event.slots()
    by_table: dict[int, list] = {}
    for meeting in meetings_of(event).exclude(status=MeetingStatus.CANCELLED):
        if meeting.slot < len(slots):
            by_table.setdefault(meeting.table_number, []).append((slots[meeting.slot], meeting))
    return render(request, "events/table_sheets.html", {"event": event, "tables": sorted(by_table.items())})


# --- The day ------------------------------------------------------------------------------------------


@login_required
def checkin(request, pk: int):
    event = _event(request, pk, "events.manage_event")
    query = search_text(request.GET)
    registrations = registrations_of(event).filter(status=RegistrationStatus.APPROVED)
    if query:
        registrations = registrations.filter(Q(ikm__name__icontains=query) | Q(buyer__name__icontains=query)
                                             | Q(ikm__owner_name__icontains=query))
    return render(request, "events/checkin.html", {"event": event, "registrations": registrations[:100],
                                                   "q": query})


@login_required
def checkin_scan(request, token):
    """Where the QR code leads: the organiser confirms the check-in with one tap."""
    registration = get_object_or_404(Registration.objects.select_related("event__kabupaten", "ikm", "buyer"),
                                     checkin_token=token)
    if not request.user.has_perm("events.manage_registration", registration):
        raise PermissionDenied
    return render(request, "events/checkin_scan.html", {"registration": registration,
                                                        "event": registration.event})


@login_required
@require_POST
def checkin_mark(request, pk: int):
    registration = _registration(request, pk, "events.manage_registration")
    try:
        services.registration_check_in(registration=registration, by=request.user)
    except EventError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(name)s is checked in.") % {"name": registration.name})
    return _back(request, "events:checkin", registration.event_id)


@login_required
def board(request, pk: int):
    event = _event(request, pk, "events.manage_event")
    slots = event.slots()
    slot = current_slot(event)
    if slot is None:
        now = timezone.now()
        slot = next((s for s in slots if s.start > now), slots[-1] if slots else None)
    rows, empty = [], []
    if slot is not None:
        meetings = {m.table: m for m in meetings_of(event).filter(slot=slot.index).exclude(
            status=MeetingStatus.CANCELLED).select_related("request__requester", "request__recipient")}
        for table in range(event.tables):
            meeting = meetings.get(table)
            rows.append((table + 1, meeting))
            if meeting is None:
                empty.append(table + 1)
    return render(request, "events/board.html", {"event": event, "slot": slot, "rows": rows, "empty": empty,
                                                 "slots": slots})


@login_required
@require_POST
def meeting_status(request, pk: int):
    meeting = _meeting(request, pk, "events.view_meeting")
    try:
        services.meeting_status_set(meeting=meeting, by=request.user, status=request.POST.get("status", ""))
    except EventError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Meeting: %(status)s.") % {"status": meeting.get_status_display()})
    return _back(request, "events:board", meeting.event_id)


# --- Report -------------------------------------------------------------------------------------------


@login_required
def report(request, pk: int):
    event = _event(request, pk, "events.manage_event")
    return render(request, "events/report.html", {"event": event, "report": event_report(event)})


@login_required
def report_xlsx(request, pk: int):
    event = _event(request, pk, "events.manage_event")
    from .reports import event_report_xlsx

    response = HttpResponse(event_report_xlsx(event, event_report(event)),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}-report.xlsx"'
    return response
