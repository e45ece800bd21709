"""Who may do what with people and organisations: the one place for these rules.

Views (`PermissionRequiredMixin`/`has_perm`), templates (`{% has_perm %}`) and the API use these.
"""

import rules

from .enums import Role


@rules.predicate
def is_ikm_owner(user) -> bool:
    return user.is_authenticated and user.role == Role.IKM_OWNER


@rules.predicate
def is_buyer_staff(user) -> bool:
    return user.is_authenticated and user.role == Role.BUYER_STAFF and user.buyer_organisation_id is not None


@rules.predicate
def is_dinas_staff(user) -> bool:
    return user.is_authenticated and user.role == Role.DINAS_STAFF


@rules.predicate
def is_admin(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role == Role.ADMIN)


@rules.predicate
def owns_ikm(user, ikm) -> bool:
    return ikm is not None and user.is_authenticated and ikm.owner_id == user.pk


def kabupaten_in_scope(user, kabupaten) -> bool:
    """Whether a Dinas user's region scope covers a kabupaten (national scope covers all)."""
    if kabupaten is None:
        return False
    if user.scope_kabupaten_id:
        return kabupaten.pk == user.scope_kabupaten_id
    if user.scope_province_id:
        return kabupaten.province_id == user.scope_province_id
    return True


@rules.predicate
def ikm_in_dinas_scope(user, ikm) -> bool:
    return ikm is not None and is_dinas_staff(user) and kabupaten_in_scope(user, ikm.kabupaten)


@rules.predicate
def works_for_buyer(user, organisation) -> bool:
    return organisation is not None and is_buyer_staff(user) and user.buyer_organisation_id == organisation.pk


# Role-level abilities (no object): menus and page access.
rules.add_perm("profiles.have_ikm_profile", is_ikm_owner)
rules.add_perm("profiles.search_suppliers", is_buyer_staff | is_dinas_staff | is_admin)
rules.add_perm("profiles.verify_ikms", is_dinas_staff)
rules.add_perm("profiles.import_ikms", is_dinas_staff)

# Object abilities.
rules.add_perm("profiles.change_ikmprofile", owns_ikm | is_admin)
rules.add_perm("profiles.verify_ikmprofile", ikm_in_dinas_scope)
rules.add_perm("profiles.view_ikm_contact", is_buyer_staff | is_dinas_staff | is_admin | owns_ikm)
rules.add_perm("profiles.change_buyerorganisation", works_for_buyer | is_admin)


# --- Supplier groups (koperasi, konsorsium) ----------------------------------------------------------------


@rules.predicate
def group_in_dinas_scope(user, group) -> bool:
    return group is not None and group.is_group and bool(ikm_in_dinas_scope(user, group))


@rules.predicate
def coordinates_group(user, group) -> bool:
    """The group's owner account: the coordinating IKM owner (e.g. the koperasi's manager)."""
    return group is not None and group.is_group and bool(is_ikm_owner(user)) and bool(owns_ikm(user, group))


@rules.predicate
def admin_of_group(user, group) -> bool:
    return group is not None and group.is_group and bool(is_admin(user))


@rules.predicate
def owns_membership_member(user, membership) -> bool:
    """The member IKM's owner answers an invitation or leaves for it."""
    return membership is not None and bool(is_ikm_owner(user)) and membership.member.owner_id == user.pk


# Role-level: who may open the "new group" page (the service then checks members and region).
rules.add_perm("profiles.create_group", is_ikm_owner | is_dinas_staff)
# Invite, remove members, see the group's management page.
rules.add_perm("profiles.manage_group", coordinates_group | group_in_dinas_scope | admin_of_group)
# Accept or decline an invitation, leave a group: only for the member's own IKM.
rules.add_perm("profiles.answer_group_membership", owns_membership_member)
