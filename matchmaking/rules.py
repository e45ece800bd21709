"""Who may do what with buyer needs and suggestions: the one place for these rules."""

import rules

from profiles.rules import is_admin, is_buyer_staff, is_dinas_staff, is_ikm_owner

from .enums import NeedStatus


@rules.predicate
def need_of_own_organisation(user, need) -> bool:
    return need is not None and is_buyer_staff(user) and need.buyer_id == user.buyer_organisation_id


@rules.predicate
def need_is_open(user, need) -> bool:
    return need is not None and need.status == NeedStatus.OPEN


rules.add_perm("matchmaking.post_needs", is_buyer_staff)
rules.add_perm("matchmaking.browse_opportunities", is_ikm_owner)
rules.add_perm("matchmaking.view_need", need_of_own_organisation | is_dinas_staff | is_admin | need_is_open)
rules.add_perm("matchmaking.change_need", need_of_own_organisation | is_admin)
# Value and attachments are confidential: the need's own organisation and Dinas only (DESIGN.md).
rules.add_perm("matchmaking.view_need_confidential", need_of_own_organisation | is_dinas_staff | is_admin)
rules.add_perm("matchmaking.manage_shortlists", is_buyer_staff)


# --- Suggestions and answers (issue 5) ------------------------------------------------------------------
from profiles.rules import owns_ikm  # noqa: E402


@rules.predicate
def may_answer_as_buyer(user, need) -> bool:
    """Buyer staff answer suggestions on their own organisation's open needs."""
    return bool(need_of_own_organisation(user, need)) and need.status == NeedStatus.OPEN


@rules.predicate
def may_answer_as_ikm(user, ikm) -> bool:
    """An IKM owner answers for their own IKM."""
    return bool(is_ikm_owner(user)) and bool(owns_ikm(user, ikm))


rules.add_perm("matchmaking.view_need_suggestions", need_of_own_organisation | is_dinas_staff | is_admin)
rules.add_perm("matchmaking.answer_suggestion_as_buyer", may_answer_as_buyer)
rules.add_perm("matchmaking.answer_suggestion_as_ikm", may_answer_as_ikm)
rules.add_perm("matchmaking.view_ikm_opportunities", owns_ikm | is_admin)
rules.add_perm("matchmaking.view_matching_summary", is_dinas_staff | is_admin)


# --- Partnerships (issue 7) ------------------------------------------------------------------------------
from profiles.rules import kabupaten_in_scope  # noqa: E402


@rules.predicate
def partnership_ikm_side(user, partnership) -> bool:
    """The owner of the partnership's IKM (for a supplier group: its coordinator)."""
    return partnership is not None and bool(is_ikm_owner(user)) and partnership.ikm.owner_id == user.pk


@rules.predicate
def partnership_buyer_side(user, partnership) -> bool:
    return partnership is not None and bool(is_buyer_staff(user)) and partnership.buyer_id == user.buyer_organisation_id


@rules.predicate
def partnership_in_dinas_region(user, partnership) -> bool:
    return (partnership is not None and bool(is_dinas_staff(user))
            and kabupaten_in_scope(user, partnership.ikm.kabupaten))


rules.add_perm("matchmaking.browse_partnerships", is_ikm_owner | is_buyer_staff | is_dinas_staff | is_admin)
rules.add_perm("matchmaking.record_partnership", is_dinas_staff)
rules.add_perm("matchmaking.view_partnership",
               partnership_ikm_side | partnership_buyer_side | partnership_in_dinas_region | is_admin)
# Both sides move a partnership forward; Dinas of the IKM's region too (what they learned offline).
rules.add_perm("matchmaking.change_partnership",
               partnership_ikm_side | partnership_buyer_side | partnership_in_dinas_region)
rules.add_perm("matchmaking.view_outcomes_dashboard", is_dinas_staff | is_admin)
