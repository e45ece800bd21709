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
