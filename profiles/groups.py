"""Supplier groups: a koperasi or a konsorsium that answers needs, registers for events and holds
partnerships as one supplier.

A group is an `IkmProfile` with `group_kind` set, so the matching engine, the directory, events and
partnerships see it as one IKM. Its members are `GroupMembership` rows. Its processes and materials are
the union of its active members', its capacity and employees their sums (unknown when no member states
them); its certifications stay its own (a member's ISO 9001 does not certify the group).

Every service here runs in one transaction, records who and when on the membership row, and raises
`ProfileError` with a translated message when the action is not allowed.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .enums import GroupKind, LegalForm, MembershipStatus
from .exceptions import ProfileError
from .models import GroupMembership, IkmProfile, Kabupaten, User
from .rules import is_admin, kabupaten_in_scope

CURRENT = (MembershipStatus.INVITED, MembershipStatus.ACTIVE)


# --- combining capabilities (pure) -------------------------------------------------------------------------


@dataclass(frozen=True)
class Capabilities:
    """What one IKM, or a group combined, can make and how much."""

    process_ids: frozenset[int] = frozenset()
    material_ids: frozenset[int] = frozenset()
    capacity_tons_month: Decimal | None = None
    employees: int | None = None


def combine_capabilities(members: Iterable[Capabilities]) -> Capabilities:
    """The union of the members' processes and materials; the sums of their capacities and employees,
    counting only the members who state them (None when none does)."""
    members = list(members)
    capacities = [m.capacity_tons_month for m in members if m.capacity_tons_month is not None]
    employees = [m.employees for m in members if m.employees is not None]
    return Capabilities(
        process_ids=frozenset().union(*(m.process_ids for m in members)),
        material_ids=frozenset().union(*(m.material_ids for m in members)),
        capacity_tons_month=sum(capacities, Decimal(0)) if capacities else None,
        employees=sum(employees) if employees else None,
    )


# --- keeping a group's capabilities --------------------------------------------------------------------------


def _capabilities(ikm_ids: set[int]) -> dict[int, Capabilities]:
    """The stored capabilities of these IKMs: one query per table whatever their number."""
    processes: dict[int, set[int]] = defaultdict(set)
    materials: dict[int, set[int]] = defaultdict(set)
    for ikm_id, process_id in IkmProfile.processes.through.objects.filter(
            ikmprofile_id__in=ikm_ids).values_list("ikmprofile_id", "process_id"):
        processes[ikm_id].add(process_id)
    for ikm_id, material_id in IkmProfile.materials.through.objects.filter(
            ikmprofile_id__in=ikm_ids).values_list("ikmprofile_id", "material_id"):
        materials[ikm_id].add(material_id)
    return {
        pk: Capabilities(frozenset(processes[pk]), frozenset(materials[pk]), capacity, employees)
        for pk, capacity, employees in IkmProfile.objects.filter(pk__in=ikm_ids).values_list(
            "pk", "capacity_tons_month", "employees")
    }


@transaction.atomic
def group_capabilities_refresh(group_ids: Iterable[int]) -> list[int]:
    """Set these groups' processes, materials, capacity and employees to their active members' combined.

    Ids that are not groups are ignored. Locks the group rows (so two membership changes of one group
    cannot overwrite each other's result), in the caller's transaction when there is one. A fixed
    number of queries whatever the number of groups and members. Returns the ids of the groups whose capabilities changed;
    the caller passes them on to `ikm_changed` (search index, matching).
    """
    wanted = set(group_ids)
    if not wanted:
        return []
    ids = list(IkmProfile.objects.select_for_update().filter(pk__in=wanted).exclude(
        group_kind=GroupKind.SINGLE).order_by("pk").values_list("pk", flat=True))
    if not ids:
        return []
    members_of: dict[int, list[int]] = defaultdict(list)
    for group_id, member_id in GroupMembership.objects.filter(
            group_id__in=ids, status=MembershipStatus.ACTIVE).values_list("group_id", "member_id"):
        members_of[group_id].append(member_id)
    known = _capabilities({*ids, *(m for members in members_of.values() for m in members)})
    changed = {}
    for group_id in ids:
        combined = combine_capabilities(known[m] for m in members_of[group_id] if m in known)
        if combined != known[group_id]:
            changed[group_id] = combined
    if not changed:
        return []
    processes, materials = IkmProfile.processes.through, IkmProfile.materials.through
    processes.objects.filter(ikmprofile_id__in=changed).delete()
    materials.objects.filter(ikmprofile_id__in=changed).delete()
    processes.objects.bulk_create([processes(ikmprofile_id=g, process_id=p)
                                   for g, c in changed.items() for p in sorted(c.process_ids)])
    materials.objects.bulk_create([materials(ikmprofile_id=g, material_id=m)
                                   for g, c in changed.items() for m in sorted(c.material_ids)])
    now = timezone.now()
    IkmProfile.objects.bulk_update(
        [IkmProfile(pk=g, capacity_tons_month=c.capacity_tons_month, employees=c.employees, updated_at=now)
         for g, c in changed.items()],
        ["capacity_tons_month", "employees", "updated_at"])
    return sorted(changed)


def groups_of_members(ikm_ids: Sequence[int]) -> list[int]:
    """The groups whose capabilities depend on these IKMs: groups they are active members of, and any
    of them that is a group itself."""
    via_members = GroupMembership.objects.filter(
        member_id__in=ikm_ids, status=MembershipStatus.ACTIVE).values_list("group_id", flat=True)
    themselves = IkmProfile.objects.filter(pk__in=ikm_ids).exclude(
        group_kind=GroupKind.SINGLE).values_list("pk", flat=True)
    return sorted(set(via_members) | set(themselves))


# --- forming groups and changing members ---------------------------------------------------------------------


def _vouches_for(by: User, member: IkmProfile) -> bool:
    """Whether `by` can make `member` active without asking: its owner, Dinas of its region, an admin."""
    if by.is_ikm_owner:
        return member.owner_id == by.pk
    if by.is_dinas_staff:
        return kabupaten_in_scope(by, member.kabupaten)
    return bool(is_admin(by))


def _check_can_join(group: IkmProfile | None, member: IkmProfile) -> None:
    if member.is_group:
        raise ProfileError(_("%(name)s is itself a supplier group; a group cannot be a member of a group.")
                           % {"name": member.name})
    if group is not None and member.pk == group.pk:
        raise ProfileError(_("A group cannot be a member of itself."))


def _new_membership(group: IkmProfile, member: IkmProfile, by: User, now) -> GroupMembership:
    if _vouches_for(by, member):
        return GroupMembership(group=group, member=member, status=MembershipStatus.ACTIVE, invited_by=by,
                               invited_at=now, joined_at=now)
    if member.owner_id is None:
        raise ProfileError(_("%(name)s has no account on the portal to accept an invitation; ask Dinas of its "
                             "region to add it.") % {"name": member.name})
    return GroupMembership(group=group, member=member, status=MembershipStatus.INVITED, invited_by=by,
                           invited_at=now)


@transaction.atomic
def group_create(*, by: User, name: str, kind: str, kabupaten: Kabupaten, members: Sequence[IkmProfile],
                 owner_name: str = "", description: str = "") -> IkmProfile:
    """Form a supplier group (a new IkmProfile) with its first members.

    Formed by an IKM owner (who becomes its coordinating owner and must include at least one IKM of their
    own) or by Dinas staff whose region covers `kabupaten` (the group then has no owner account yet).
    Members the creator vouches for (their own IKMs; for Dinas, IKMs in its region) are active at once,
    the others are invited and join when their owner accepts.

    Side effects: one IkmProfile, one GroupMembership per member, the combined capabilities, and
    `ikm_changed` (search index now, matching after commit). Raises ProfileError; nothing is saved then.
    """
    if kind not in (GroupKind.KOPERASI, GroupKind.KONSORSIUM):
        raise ProfileError(_("Choose whether the group is a koperasi or a konsorsium."))
    if not by.has_perm("profiles.create_group"):
        raise ProfileError(_("Only IKM owners and Dinas staff can form a supplier group."))
    if by.is_dinas_staff and not kabupaten_in_scope(by, kabupaten):
        raise ProfileError(_("%(kabupaten)s is outside your region.") % {"kabupaten": kabupaten})
    chosen = list(IkmProfile.objects.filter(pk__in={m.pk for m in members}).select_related("kabupaten")
                  .order_by("name"))
    if not chosen:
        raise ProfileError(_("Choose at least one member."))
    for member in chosen:
        _check_can_join(None, member)
    if not any(_vouches_for(by, m) for m in chosen):
        if by.is_ikm_owner:
            raise ProfileError(_("Include at least one of your own IKMs: you form the group for it."))
        raise ProfileError(_("Include at least one IKM of your region."))
    group = IkmProfile(
        owner=by if by.is_ikm_owner else None, name=name.strip(), group_kind=kind, kabupaten=kabupaten,
        legal_form=LegalForm.KOPERASI if kind == GroupKind.KOPERASI else LegalForm.PERORANGAN,
        owner_name=(owner_name.strip() or (by.name if by.is_ikm_owner else "") or name.strip())[:150],
        description=description.strip(),
    )
    try:
        group.full_clean()
    except ValidationError as exc:
        raise ProfileError(" ".join(exc.messages)) from exc
    group.save()
    now = timezone.now()
    GroupMembership.objects.bulk_create([_new_membership(group, m, by, now) for m in chosen])
    _changed(group)
    group.refresh_from_db(fields=["capacity_tons_month", "employees", "updated_at"])
    return group


def _changed(group: IkmProfile) -> None:
    from .services import ikm_changed

    # ikm_changed refreshes the group's combined capabilities first, then reindexes and re-scores it.
    ikm_changed([group.pk])


def _locked_group(group: IkmProfile) -> IkmProfile:
    return IkmProfile.objects.select_for_update().select_related("kabupaten").get(pk=group.pk)


@transaction.atomic
def group_invite(*, group: IkmProfile, member: IkmProfile, by: User) -> GroupMembership:
    """Add an IKM to a group: active at once when `by` vouches for it (its owner, Dinas of its region),
    otherwise invited until its owner accepts. Only who manages the group may do this.

    Side effects: one GroupMembership; when active, the group's capabilities and `ikm_changed`.
    """
    if not by.has_perm("profiles.manage_group", group):
        raise ProfileError(_("You do not manage this group."))
    group = _locked_group(group)
    member = IkmProfile.objects.select_related("kabupaten").get(pk=member.pk)
    _check_can_join(group, member)
    if GroupMembership.objects.filter(group=group, member=member, status__in=CURRENT).exists():
        raise ProfileError(_("%(name)s is already a member or invited.") % {"name": member.name})
    membership = _new_membership(group, member, by, timezone.now())
    membership.save()
    if membership.status == MembershipStatus.ACTIVE:
        _changed(group)
    return membership


def _locked_membership(membership: GroupMembership) -> GroupMembership:
    # The group row first: every membership change of one group then runs one after the other.
    list(IkmProfile.objects.select_for_update().filter(pk=membership.group_id).values_list("pk", flat=True))
    return GroupMembership.objects.select_for_update(of=("self",)).select_related("group", "member").get(
        pk=membership.pk)


def _end(membership: GroupMembership, *, by: User, status: str) -> GroupMembership:
    was_active = membership.status == MembershipStatus.ACTIVE
    membership.status, membership.ended_by, membership.left_at = status, by, timezone.now()
    membership.save(update_fields=["status", "ended_by", "left_at"])
    if was_active:
        _changed(membership.group)
    return membership


@transaction.atomic
def membership_accept(*, membership: GroupMembership, by: User) -> GroupMembership:
    """The member's owner accepts an invitation: the IKM becomes an active member and the group's
    capabilities grow. Side effects: the membership row, `ikm_changed` of the group."""
    if not by.has_perm("profiles.answer_group_membership", membership):
        raise ProfileError(_("Only the owner of %(name)s can answer for it.") % {"name": membership.member.name})
    membership = _locked_membership(membership)
    if membership.status != MembershipStatus.INVITED:
        raise ProfileError(_("This invitation is no longer open."))
    membership.status, membership.joined_at = MembershipStatus.ACTIVE, timezone.now()
    membership.save(update_fields=["status", "joined_at"])
    _changed(membership.group)
    return membership


@transaction.atomic
def membership_decline(*, membership: GroupMembership, by: User) -> GroupMembership:
    """The member's owner declines an invitation (recorded with who and when)."""
    if not by.has_perm("profiles.answer_group_membership", membership):
        raise ProfileError(_("Only the owner of %(name)s can answer for it.") % {"name": membership.member.name})
    membership = _locked_membership(membership)
    if membership.status != MembershipStatus.INVITED:
        raise ProfileError(_("This invitation is no longer open."))
    return _end(membership, by=by, status=MembershipStatus.DECLINED)


@transaction.atomic
def membership_leave(*, membership: GroupMembership, by: User) -> GroupMembership:
    """The member's owner takes the IKM out of the group; the group's capabilities shrink at once.
    Side effects: the membership row (left, who, when), `ikm_changed` of the group."""
    if not by.has_perm("profiles.answer_group_membership", membership):
        raise ProfileError(_("Only the owner of %(name)s can answer for it.") % {"name": membership.member.name})
    membership = _locked_membership(membership)
    if membership.status != MembershipStatus.ACTIVE:
        raise ProfileError(_("%(name)s is not an active member of this group.") % {"name": membership.member.name})
    return _end(membership, by=by, status=MembershipStatus.LEFT)


@transaction.atomic
def membership_remove(*, membership: GroupMembership, by: User) -> GroupMembership:
    """Who manages the group (its coordinator, Dinas of its region, an admin) removes a member or
    withdraws an invitation. Side effects: the membership row (left, who, when) and, for an active
    member, the group's capabilities and `ikm_changed`."""
    if not by.has_perm("profiles.manage_group", membership.group):
        raise ProfileError(_("You do not manage this group."))
    membership = _locked_membership(membership)
    if membership.status not in CURRENT:
        raise ProfileError(_("%(name)s is no longer in this group.") % {"name": membership.member.name})
    return _end(membership, by=by, status=MembershipStatus.LEFT)


@transaction.atomic
def group_coordinator_set(*, group: IkmProfile, by: User, account: str) -> IkmProfile:
    """Hand a group to its coordinator: the IKM-owner account (e-mail or phone) that acts for it from now on —
    e.g. the manager of a koperasi Dinas registered. Who manages the group may do this."""
    from .enums import Role
    from .phones import normalise_phone

    if not by.has_perm("profiles.manage_group", group):
        raise ProfileError(_("You do not manage this group."))
    text = (account or "").strip()
    person = User.objects.filter(email__iexact=text).first() if "@" in text else None
    if person is None and text and "@" not in text:
        try:
            person = User.objects.filter(phone=normalise_phone(text)).first()
        except ValueError:
            person = None
    if person is None or not person.is_active:
        raise ProfileError(_("No account with this e-mail address or phone number. Ask the coordinator to "
                             "register as an IKM owner first."))
    if person.role != Role.IKM_OWNER:
        raise ProfileError(_("The coordinator must have an IKM owner account."))
    group = _locked_group(group)
    group.owner = person
    group.save(update_fields=["owner", "updated_at"])
    return group
