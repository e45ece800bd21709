"""Supplier groups (koperasi, konsorsium): combined capabilities, membership changes, who may do what,
the pages, matching a group as one candidate, and forming a group from a consortium suggestion."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matchmaking.models import NeedProcess, Suggestion
from matchmaking.recompute import suggestions_recompute_for_need
from matchmaking.search import ikm_search
from profiles.enums import GroupKind, MembershipStatus
from profiles.exceptions import ProfileError
from profiles.groups import (
    Capabilities,
    combine_capabilities,
    group_create,
    group_invite,
    membership_accept,
    membership_decline,
    membership_leave,
    membership_remove,
)
from profiles.models import GroupMembership, IkmProfile, Material, Process
from tests.factories import (
    AdminFactory,
    BuyerStaffFactory,
    DinasStaffFactory,
    IkmProfileFactory,
    NeedFactory,
    UserFactory,
    kabupaten,
)


def make_ikm(*, processes=(), materials=(), capacity=None, employees=None, **fields) -> IkmProfile:
    ikm = IkmProfileFactory(capacity_tons_month=capacity, employees=employees, **fields)
    ikm.processes.set(Process.objects.filter(code__in=processes))
    ikm.materials.set(Material.objects.filter(code__in=materials))
    return ikm


def codes(group: IkmProfile) -> set[str]:
    return set(IkmProfile.objects.get(pk=group.pk).processes.values_list("code", flat=True))


def form_group(owner, *members, kind=GroupKind.KONSORSIUM, name="Konsorsium Takaru"):
    return group_create(by=owner, name=name, kind=kind, kabupaten=kabupaten("Kabupaten Tegal"), members=members)


@pytest.fixture
def caster(ikm_owner):
    return make_ikm(owner=ikm_owner, processes=["cast-grey-iron"], materials=["grey-iron"], capacity=Decimal("20"),
                    employees=12)


@pytest.fixture
def turner():
    return make_ikm(processes=["turning"], materials=["carbon-steel"], capacity=Decimal("5"), employees=6)


@pytest.fixture
def group_with_invitation(ikm_owner, caster, turner):
    """A konsorsium coordinated by the caster's owner: the caster active, the turner invited."""
    return form_group(ikm_owner, caster, turner)


def membership(group, member) -> GroupMembership:
    return GroupMembership.objects.get(group=group, member=member, status__in=["invited", "active"])


# --- combining (pure) ----------------------------------------------------------------------------------------


def test_combine_capabilities_unions_codes_and_sums_only_stated_figures():
    combined = combine_capabilities([
        Capabilities(frozenset({1, 2}), frozenset({7}), Decimal("20"), 12),
        Capabilities(frozenset({2, 3}), frozenset(), None, None),
        Capabilities(frozenset(), frozenset({8}), Decimal("5.5"), 6),
    ])

    assert combined == Capabilities(frozenset({1, 2, 3}), frozenset({7, 8}), Decimal("25.5"), 18)


def test_combine_capabilities_of_no_member_knows_nothing():
    assert combine_capabilities([]) == Capabilities(frozenset(), frozenset(), None, None)


# --- forming and changing members ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_group_create_by_owner_makes_own_ikm_active_and_invites_the_others(group_with_invitation, caster, turner):
    group = group_with_invitation

    assert group.is_group and group.owner == caster.owner
    assert membership(group, caster).status == MembershipStatus.ACTIVE
    assert membership(group, turner).status == MembershipStatus.INVITED
    assert membership(group, turner).invited_by == caster.owner
    assert codes(group) == {"cast-grey-iron"}
    assert group.capacity_tons_month == Decimal("20") and group.employees == 12


@pytest.mark.django_db
def test_capabilities_grow_when_a_member_joins_and_shrink_when_it_leaves(group_with_invitation, turner):
    group = group_with_invitation

    membership_accept(membership=membership(group, turner), by=turner.owner)
    group.refresh_from_db()
    assert codes(group) == {"cast-grey-iron", "turning"}
    assert set(group.materials.values_list("code", flat=True)) == {"grey-iron", "carbon-steel"}
    assert (group.capacity_tons_month, group.employees) == (Decimal("25"), 18)

    left = membership_leave(membership=membership(group, turner), by=turner.owner)
    group.refresh_from_db()
    assert codes(group) == {"cast-grey-iron"}
    assert (group.capacity_tons_month, group.employees) == (Decimal("20"), 12)
    assert (left.status, left.ended_by, left.left_at is not None) == ("left", turner.owner, True)


@pytest.mark.django_db
def test_removing_a_member_keeps_a_process_another_member_also_has(ikm_owner, caster):
    other_caster = make_ikm(owner=ikm_owner, processes=["cast-grey-iron", "painting"], capacity=Decimal("3"))
    group = form_group(ikm_owner, caster, other_caster)

    membership_remove(membership=membership(group, other_caster), by=ikm_owner)

    group.refresh_from_db()
    assert codes(group) == {"cast-grey-iron"}
    assert group.capacity_tons_month == Decimal("20")


@pytest.mark.django_db
def test_last_member_leaving_leaves_capacity_unknown(ikm_owner, caster):
    group = form_group(ikm_owner, caster)

    membership_leave(membership=membership(group, caster), by=ikm_owner)

    group.refresh_from_db()
    assert codes(group) == set()
    assert group.capacity_tons_month is None and group.employees is None


@pytest.mark.django_db
def test_member_editing_its_profile_refreshes_the_group(client, ikm_owner, caster):
    group = form_group(ikm_owner, caster)
    client.force_login(ikm_owner)

    client.post(f"/ikm/{caster.pk}/edit/capabilities/", {
        "processes": [Process.objects.get(code=c).pk for c in ("cast-grey-iron", "pattern-making")],
        "materials": [], "capacity_tons_month": "35", "tkdn_percent": ""})

    group.refresh_from_db()
    assert codes(group) == {"cast-grey-iron", "pattern-making"}
    assert group.capacity_tons_month == Decimal("35")
    assert group in ikm_search(IkmProfile.objects.all(), "pola")  # the directory finds it by the new process
    pattern = Process.objects.get(code="pattern-making")
    assert pattern.pk in group.process_ids and pattern.group_id in group.process_group_ids  # and filters by it


@pytest.mark.django_db
def test_group_edit_form_does_not_offer_combined_fields(client, ikm_owner, caster):
    group = form_group(ikm_owner, caster)
    client.force_login(ikm_owner)

    page = client.get(f"/ikm/{group.pk}/edit/capabilities/").content.decode()

    assert 'name="processes"' not in page and 'name="capacity_tons_month"' not in page
    assert 'name="tkdn_percent"' in page


@pytest.mark.django_db
def test_a_group_cannot_be_a_member_of_a_group(ikm_owner, caster):
    inner = form_group(ikm_owner, caster, name="Konsorsium A")

    with pytest.raises(ProfileError):
        form_group(ikm_owner, caster, inner, name="Konsorsium B")
    with pytest.raises(ProfileError):
        group_invite(group=form_group(ikm_owner, caster, name="Konsorsium C"), member=inner, by=ikm_owner)
    assert not IkmProfile.objects.filter(name="Konsorsium B").exists()


@pytest.mark.django_db
def test_an_ikm_belongs_to_several_groups_but_once_to_each(ikm_owner, caster):
    first, second = form_group(ikm_owner, caster, name="Satu"), form_group(ikm_owner, caster, name="Dua")

    with pytest.raises(ProfileError):
        group_invite(group=first, member=caster, by=ikm_owner)

    assert GroupMembership.objects.filter(member=caster, status="active").count() == 2
    assert {first.pk, second.pk} == set(caster.group_memberships.values_list("group_id", flat=True))


@pytest.mark.django_db
def test_a_member_who_left_can_be_added_again(ikm_owner, caster):
    group = form_group(ikm_owner, caster)
    membership_leave(membership=membership(group, caster), by=ikm_owner)

    again = group_invite(group=group, member=caster, by=ikm_owner)

    assert again.status == MembershipStatus.ACTIVE
    assert GroupMembership.objects.filter(group=group, member=caster).count() == 2


@pytest.mark.django_db
def test_owner_must_include_one_of_their_own_ikms(turner):
    with pytest.raises(ProfileError):
        form_group(UserFactory(), turner)
    assert not IkmProfile.objects.exclude(group_kind="").exists()


@pytest.mark.django_db
def test_an_ikm_without_an_account_cannot_be_invited(ikm_owner, caster):
    imported = make_ikm(owner=None, processes=["turning"])

    with pytest.raises(ProfileError):
        form_group(ikm_owner, caster, imported)
    assert not IkmProfile.objects.exclude(group_kind="").exists()


@pytest.mark.django_db
def test_dinas_forms_a_koperasi_of_ikms_in_its_region_without_invitations(dinas_tegal, turner):
    imported = make_ikm(owner=None, processes=["cast-grey-iron"], capacity=Decimal("8"))

    group = form_group(dinas_tegal, imported, turner, kind=GroupKind.KOPERASI, name="Koperasi Logam Takaru")

    assert group.owner is None and group.legal_form == "koperasi"
    assert set(group.memberships.values_list("status", flat=True)) == {"active"}
    assert group.capacity_tons_month == Decimal("13")


@pytest.mark.django_db
def test_dinas_of_another_kabupaten_cannot_form_a_group_there(turner):
    dinas_klaten = DinasStaffFactory(scope_kabupaten=kabupaten("Kabupaten Klaten"))

    with pytest.raises(ProfileError):
        form_group(dinas_klaten, turner)


@pytest.mark.django_db
def test_declining_is_recorded_and_closes_the_invitation(group_with_invitation, turner):
    invitation = membership(group_with_invitation, turner)

    membership_decline(membership=invitation, by=turner.owner)

    invitation.refresh_from_db()
    assert (invitation.status, invitation.ended_by) == ("declined", turner.owner)
    with pytest.raises(ProfileError):
        membership_accept(membership=invitation, by=turner.owner)


# --- matching ------------------------------------------------------------------------------------------------


def make_need(processes, quantity=None):
    need = NeedFactory(quantity=quantity)
    for code in processes:
        NeedProcess.objects.create(need=need, process=Process.objects.get(code=code))
    return need


@pytest.mark.django_db
def test_the_matching_engine_scores_a_group_as_one_candidate_covering_what_no_member_does(
        group_with_invitation, caster, turner):
    group = group_with_invitation
    membership_accept(membership=membership(group, turner), by=turner.owner)
    need = make_need(["cast-grey-iron", "turning"])

    suggestions_recompute_for_need(need.pk)

    top = Suggestion.objects.filter(need=need).order_by("rank").first()
    assert top.ikm_id == group.pk
    assert [p[:2] for p in top.components["processes"]] == [["cast-grey-iron", True], ["turning", True]]
    assert Suggestion.objects.get(need=need, ikm=caster).score < top.score


# --- who may do what (every rule refuses the wrong user) --------------------------------------------------------


def wrong_users():
    return {
        "another IKM owner": UserFactory(),
        "buyer staff": BuyerStaffFactory(),
        "Dinas of another kabupaten": DinasStaffFactory(scope_kabupaten=kabupaten("Kabupaten Klaten")),
    }


@pytest.mark.django_db
def test_only_who_manages_a_group_may_add_or_remove_members(client, group_with_invitation, caster, turner):
    group, extra = group_with_invitation, make_ikm(processes=["milling"])
    for who, user in wrong_users().items():
        assert not user.has_perm("profiles.manage_group", group), who
        client.force_login(user)
        assert client.post(f"/groups/{group.pk}/members/add/", {"member": extra.pk}).status_code == 403, who
        remove = reverse("profiles:membership_action", args=[membership(group, caster).pk, "remove"])
        assert client.post(remove).status_code == 403, who
        with pytest.raises(ProfileError):
            group_invite(group=group, member=extra, by=user)
    assert membership(group, caster).status == "active"
    assert not GroupMembership.objects.filter(member=extra).exists()


@pytest.mark.django_db
def test_coordinator_dinas_in_scope_and_admin_manage_a_group(group_with_invitation, dinas_tegal):
    admin = UserFactory(role="admin")

    assert all(u.has_perm("profiles.manage_group", group_with_invitation)
               for u in (group_with_invitation.owner, dinas_tegal, admin))


@pytest.mark.django_db
def test_only_the_members_owner_answers_an_invitation(client, group_with_invitation, turner, dinas_tegal):
    invitation = membership(group_with_invitation, turner)
    others = {**wrong_users(), "the group's coordinator": group_with_invitation.owner, "Dinas in scope": dinas_tegal}
    for who, user in others.items():
        client.force_login(user)
        for action in ("accept", "decline"):
            url = reverse("profiles:membership_action", args=[invitation.pk, action])
            assert client.post(url).status_code == 403, who
        with pytest.raises(ProfileError):
            membership_accept(membership=invitation, by=user)
    invitation.refresh_from_db()
    assert invitation.status == "invited"


@pytest.mark.django_db
def test_only_the_members_owner_leaves_for_it(client, group_with_invitation, caster):
    active = membership(group_with_invitation, caster)
    for who, user in wrong_users().items():
        client.force_login(user)
        assert client.post(reverse("profiles:membership_action", args=[active.pk, "leave"])).status_code == 403, who
        with pytest.raises(ProfileError):
            membership_leave(membership=active, by=user)
    active.refresh_from_db()
    assert active.status == "active"


@pytest.mark.django_db
def test_buyer_staff_cannot_open_the_group_pages(client, buyer_staff):
    client.force_login(buyer_staff)

    assert client.get("/groups/").status_code == 403
    assert client.get("/groups/new/").status_code == 403


# --- pages ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_invited_owner_accepts_from_my_groups_page(client, group_with_invitation, turner):
    client.cookies["django_language"] = "en"
    client.force_login(turner.owner)

    page = client.get("/groups/").content.decode()
    invitation = membership(group_with_invitation, turner)
    response = client.post(reverse("profiles:membership_action", args=[invitation.pk, "accept"]))

    assert "Konsorsium Takaru" in page and f'data-membership="{invitation.pk}"' in page and "Accept" in page
    assert response.status_code == 302
    assert codes(group_with_invitation) == {"cast-grey-iron", "turning"}


@pytest.mark.django_db
def test_my_groups_page_queries_do_not_grow_with_groups(client, ikm_owner, caster):
    client.force_login(ikm_owner)
    form_group(ikm_owner, caster, name="G1")
    with CaptureQueriesContext(connection) as one:
        client.get("/groups/")
    form_group(ikm_owner, caster, name="G2")
    form_group(ikm_owner, caster, name="G3")
    with CaptureQueriesContext(connection) as three:
        response = client.get("/groups/")

    assert response.content.decode().count("data-group=") == 3
    assert len(three) == len(one)


@pytest.mark.django_db
def test_owner_forms_a_group_through_the_form(client, ikm_owner, caster, turner):
    client.force_login(ikm_owner)

    response = client.post("/groups/new/", {
        "name": "Konsorsium Pompa", "kind": "konsorsium", "kabupaten": kabupaten("Kabupaten Tegal").pk,
        "members": [caster.pk, turner.pk], "owner_name": "", "description": ""})

    group = IkmProfile.objects.get(name="Konsorsium Pompa")
    assert response.status_code == 302 and response["Location"] == f"/groups/{group.pk}/"
    assert dict(group.memberships.values_list("member_id", "status")) == {caster.pk: "active", turner.pk: "invited"}


@pytest.mark.django_db
def test_group_form_search_keeps_ticked_members_and_lists_found_ones(client, ikm_owner, caster, turner):
    client.force_login(ikm_owner)

    page = client.post("/groups/new/", {"search": "1", "q": turner.name, "name": "K", "kind": "konsorsium",
                                        "members": [caster.pk]}).content.decode()

    assert re.search(rf'value="{caster.pk}"[^>]*checked', page)
    assert re.search(rf'value="{turner.pk}"[^>]*>', page) and not re.search(rf'value="{turner.pk}"[^>]*checked', page)
    assert not IkmProfile.objects.exclude(group_kind="").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("change, field", [
    ({"members": []}, "Choose at least one member"),
    ({"name": ""}, "This field is required"),
    ({"kind": "bogus"}, "Select a valid choice"),
    ({"members": ["999999"]}, "Select a valid choice"),
    ({"members": ["abc"]}, "“abc” is not a valid value"),
])
def test_group_form_rejects_bad_input_with_a_message_and_saves_nothing(client, ikm_owner, caster, change, field):
    client.cookies["django_language"] = "en"
    client.force_login(ikm_owner)
    data = {"name": "Konsorsium", "kind": "konsorsium", "kabupaten": kabupaten("Kabupaten Tegal").pk,
            "members": [caster.pk], **change}

    response = client.post("/groups/new/", data)

    assert response.status_code == 200
    assert field in response.content.decode()
    assert not IkmProfile.objects.exclude(group_kind="").exists()


@pytest.mark.django_db
def test_group_form_shows_a_service_refusal_as_a_form_error(client, ikm_owner, turner):
    client.cookies["django_language"] = "en"
    client.force_login(ikm_owner)

    response = client.post("/groups/new/", {"name": "Konsorsium", "kind": "konsorsium",
                                             "kabupaten": kabupaten("Kabupaten Tegal").pk, "members": [turner.pk]})

    assert response.status_code == 200
    assert "Include at least one of your own IKMs" in response.content.decode()
    assert not IkmProfile.objects.exclude(group_kind="").exists()


@pytest.mark.django_db
def test_dinas_form_offers_only_its_region(client, dinas_tegal, turner):
    client.cookies["django_language"] = "en"
    client.force_login(dinas_tegal)

    response = client.post("/groups/new/", {"name": "Koperasi", "kind": "koperasi",
                                             "kabupaten": kabupaten("Kabupaten Klaten").pk, "members": [turner.pk]})

    assert response.status_code == 200
    assert not IkmProfile.objects.exclude(group_kind="").exists()
    assert 'value="koperasi"' in client.get("/groups/new/?kind=koperasi").content.decode()


@pytest.mark.django_db
def test_coordinator_adds_a_member_found_by_search_on_the_group_page(client, ikm_owner, caster):
    group = form_group(ikm_owner, caster)
    mine = make_ikm(owner=ikm_owner, name="Bubut Sejahtera", processes=["turning"])
    client.force_login(ikm_owner)

    page = client.get(f"/groups/{group.pk}/?q=Sejahtera").content.decode()
    client.post(f"/groups/{group.pk}/members/add/", {"member": mine.pk})

    assert f'data-candidate="{mine.pk}"' in page
    assert codes(group) == {"cast-grey-iron", "turning"}


@pytest.mark.django_db
def test_group_page_bad_member_is_a_message_not_an_error(client, ikm_owner, caster):
    group = form_group(ikm_owner, caster)
    client.force_login(ikm_owner)

    response = client.post(f"/groups/{group.pk}/members/add/", {"member": "x"})

    assert response.status_code == 302
    assert group.memberships.count() == 1


@pytest.mark.django_db
def test_profile_pages_show_the_group_and_its_members(client, group_with_invitation, caster, turner):
    client.cookies["django_language"] = "en"

    group_page = client.get(f"/ikm/{group_with_invitation.pk}/").content.decode()
    member_page = client.get(f"/ikm/{caster.pk}/").content.decode()
    detail = client.get(f"/groups/{group_with_invitation.pk}/").content.decode()

    assert "group of 1 member" in group_page and f'data-member="{caster.pk}"' in group_page
    assert f'data-member="{turner.pk}"' not in group_page  # invited, not yet a member
    assert "Member of:" in member_page and f'data-group="{group_with_invitation.pk}"' in member_page
    assert 'data-process="cast-grey-iron"' in detail


@pytest.mark.django_db
def test_dashboard_counts_open_invitations(client, group_with_invitation, turner):
    client.force_login(turner.owner)

    page = client.get("/dashboard/").content.decode()

    assert 'data-open-invitations="1"' in page


# --- forming a group from a consortium suggestion ---------------------------------------------------------------


@pytest.fixture
def consortium_need(caster, turner):
    need = make_need(["cast-grey-iron", "turning"])
    suggestions_recompute_for_need(need.pk)
    return need


@pytest.mark.django_db
def test_dinas_forms_a_suggested_consortium_with_one_button(client, dinas_tegal, consortium_need, caster, turner):
    client.force_login(dinas_tegal)
    fragment = client.get(reverse("matchmaking:need_suggestions", args=[consortium_need.pk])).content.decode()

    response = client.post(reverse("matchmaking:consortium_group_create", args=[consortium_need.pk]),
                           {"member": [caster.pk, turner.pk]})

    group = IkmProfile.objects.get(group_kind=GroupKind.KONSORSIUM)
    assert 'data-action="form-consortium"' in fragment
    assert response["Location"] == f"/groups/{group.pk}/"
    assert set(group.memberships.values_list("member_id", "status")) == {(caster.pk, "active"), (turner.pk, "active")}
    assert codes(group) == {"cast-grey-iron", "turning"}


@pytest.mark.django_db
def test_ikm_owner_of_a_suggested_member_forms_the_consortium(client, ikm_owner, consortium_need, caster, turner):
    client.force_login(ikm_owner)

    client.post(reverse("matchmaking:consortium_group_create", args=[consortium_need.pk]),
                {"member": [caster.pk, turner.pk]})

    group = IkmProfile.objects.get(group_kind=GroupKind.KONSORSIUM)
    assert group.owner == ikm_owner
    assert dict(group.memberships.values_list("member_id", "status")) == {caster.pk: "active", turner.pk: "invited"}


@pytest.mark.django_db
def test_consortium_button_refuses_members_that_are_not_a_suggestion(client, dinas_tegal, consortium_need, caster):
    stranger = make_ikm(processes=["welding"])
    client.force_login(dinas_tegal)

    response = client.post(reverse("matchmaking:consortium_group_create", args=[consortium_need.pk]),
                           {"member": [caster.pk, stranger.pk]})

    assert response.status_code == 302
    assert not IkmProfile.objects.exclude(group_kind="").exists()


@pytest.mark.django_db
def test_buyer_staff_cannot_form_a_consortium(client, consortium_need, caster, turner):
    buyer = BuyerStaffFactory(buyer_organisation=consortium_need.buyer)
    client.force_login(buyer)

    fragment = client.get(reverse("matchmaking:need_suggestions", args=[consortium_need.pk])).content.decode()
    response = client.post(reverse("matchmaking:consortium_group_create", args=[consortium_need.pk]),
                           {"member": [caster.pk, turner.pk]})

    assert "data-consortium=" in fragment and 'data-action="form-consortium"' not in fragment
    assert response.status_code == 403
    assert not IkmProfile.objects.exclude(group_kind="").exists()


# --- demo data -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_seed_demo_adds_koperasi_batur_jaya_once():
    from profiles.demo import KOPERASI_NAME, seed_demo

    seed_demo()
    seed_demo()

    koperasi = IkmProfile.objects.get(name=KOPERASI_NAME)
    members = IkmProfile.objects.filter(group_memberships__group=koperasi, group_memberships__status="active")
    assert koperasi.group_kind == GroupKind.KOPERASI and koperasi.kabupaten.name == "Kabupaten Klaten"
    assert members.count() == 4 and {m.sentra.name for m in members} == {"Sentra Logam Ceper"}
    assert koperasi.capacity_tons_month == sum(m.capacity_tons_month for m in members)


def test_dinas_hands_a_koperasi_to_its_coordinator_who_then_manages_it(client, dinas_tegal, turner):
    koperasi = group_create(by=dinas_tegal, name="Koperasi Takaru", kind=GroupKind.KOPERASI,
                            kabupaten=kabupaten("Kabupaten Tegal"), members=[turner])
    manager = UserFactory(phone="+6281299990001")
    client.force_login(dinas_tegal)
    url = reverse("profiles:group_coordinator", args=[koperasi.pk])

    client.post(url, {"account": "tidak-ada@example.id"})
    client.post(url, {"account": BuyerStaffFactory().email})
    assert IkmProfile.objects.get(pk=koperasi.pk).owner is None

    response = client.post(url, {"account": "0812-9999-0001"})

    assert response.status_code == 302
    assert IkmProfile.objects.get(pk=koperasi.pk).owner == manager
    assert manager.has_perm("profiles.manage_group", IkmProfile.objects.get(pk=koperasi.pk))


def test_strangers_cannot_hand_a_group_over(client, group_with_invitation, ikm_owner):
    stranger = UserFactory()
    for user in (stranger, BuyerStaffFactory(), DinasStaffFactory(scope_kabupaten=kabupaten("Kabupaten Klaten"))):
        client.force_login(user)
        response = client.post(reverse("profiles:group_coordinator", args=[group_with_invitation.pk]),
                               {"account": user.email})
        assert response.status_code == 403
    assert IkmProfile.objects.get(pk=group_with_invitation.pk).owner == ikm_owner


@pytest.mark.django_db
def test_deleting_a_member_in_the_admin_takes_its_capabilities_out_of_the_group(client, ikm_owner, caster):
    other_caster = make_ikm(owner=ikm_owner, processes=["cast-grey-iron", "painting"], capacity=Decimal("3"))
    group = form_group(ikm_owner, caster, other_caster)
    client.force_login(AdminFactory())

    response = client.post(f"/admin/profiles/ikmprofile/{other_caster.pk}/delete/", {"post": "yes"})

    group.refresh_from_db()
    assert response.status_code == 302 and not IkmProfile.objects.filter(pk=other_caster.pk).exists()
    assert codes(group) == {"cast-grey-iron"}
    assert group.capacity_tons_month == Decimal("20")
    client.post("/admin/profiles/ikmprofile/", {"action": "delete_selected", "_selected_action": [caster.pk],
                                                "post": "yes"})
    group.refresh_from_db()
    assert codes(group) == set() and group.capacity_tons_month is None
