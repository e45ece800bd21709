"""Who may do what with events: the one place for these rules (views, templates, tests use them)."""

import rules

from profiles.rules import is_admin, is_buyer_staff, is_dinas_staff, is_ikm_owner, kabupaten_in_scope

from .enums import EventStatus, ParticipantKind


@rules.predicate
def manages_event(user, event) -> bool:
    """Dinas staff whose region covers the event's kabupaten."""
    return event is not None and is_dinas_staff(user) and kabupaten_in_scope(user, event.kabupaten)


@rules.predicate
def event_is_public(user, event) -> bool:
    return event is not None and event.status != EventStatus.DRAFT


def acts_for(user, registration) -> bool:
    """The IKM's owner, or staff of the registered buyer organisation."""
    if registration is None or not user.is_authenticated:
        return False
    if registration.kind == ParticipantKind.IKM:
        return is_ikm_owner(user) and registration.ikm.owner_id == user.pk
    return is_buyer_staff(user) and registration.buyer_id == user.buyer_organisation_id


@rules.predicate
def acts_for_registration(user, registration) -> bool:
    return acts_for(user, registration)


@rules.predicate
def manages_registration(user, registration) -> bool:
    return registration is not None and manages_event(user, registration.event)


@rules.predicate
def receives_request(user, meeting_request) -> bool:
    return meeting_request is not None and acts_for(user, meeting_request.recipient)


@rules.predicate
def makes_request(user, meeting_request) -> bool:
    return meeting_request is not None and acts_for(user, meeting_request.requester)


@rules.predicate
def manages_request(user, meeting_request) -> bool:
    return meeting_request is not None and manages_event(user, meeting_request.event)


@rules.predicate
def takes_part_in_meeting(user, meeting) -> bool:
    return meeting is not None and (acts_for(user, meeting.request.requester)
                                    or acts_for(user, meeting.request.recipient))


@rules.predicate
def manages_meeting(user, meeting) -> bool:
    return meeting is not None and manages_event(user, meeting.event)


# Role-level abilities.
rules.add_perm("events.organise_events", is_dinas_staff)
rules.add_perm("events.take_part", is_ikm_owner | is_buyer_staff)
rules.add_perm("events.browse_events", is_ikm_owner | is_buyer_staff | is_dinas_staff | is_admin)

# Object abilities.
rules.add_perm("events.view_event", manages_event | event_is_public)
rules.add_perm("events.manage_event", manages_event)
rules.add_perm("events.act_for_registration", acts_for_registration)
rules.add_perm("events.view_registration", acts_for_registration | manages_registration)
rules.add_perm("events.manage_registration", manages_registration)
rules.add_perm("events.answer_request", receives_request | manages_request)
rules.add_perm("events.record_outcome", takes_part_in_meeting)
rules.add_perm("events.manage_meeting", manages_meeting)
rules.add_perm("events.view_meeting", takes_part_in_meeting | manages_meeting)
