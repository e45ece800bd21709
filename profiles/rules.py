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
