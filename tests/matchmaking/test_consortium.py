"""Consortium suggestions: nearby groups of 2-3 IKMs that together cover what no single one does."""

from matchmaking.consortium import Member, consortium_suggestions

TEGAL = (-6.98, 109.14)


def member(pk, processes, *, capacity=None, sentra=None, at=TEGAL, score=0.5):
    return Member(ikm_id=pk, name=f"IKM {pk}", score=score, processes_met=frozenset(processes), capacity=capacity,
                  sentra_id=sentra, sentra_name="LIK Takaru" if sentra else "", latitude=at[0], longitude=at[1])


def test_consortium_pairs_two_ikms_of_one_sentra_covering_the_processes():
    caster = member(1, ["cast-grey-iron"], sentra=7, at=(None, None))
    turner = member(2, ["turning"], sentra=7, at=(None, None))

    groups = consortium_suggestions([caster, turner], required=["cast-grey-iron", "turning"], quantity=None)

    assert [[m.ikm_id for m in g.members] for g in groups] == [[1, 2]]
    assert groups[0].same_sentra == "LIK Takaru" and groups[0].processes_met == 2


def test_consortium_none_when_one_ikm_covers_everything():
    both = member(1, ["cast-grey-iron", "turning"], capacity=50)
    groups = consortium_suggestions([both, member(2, ["turning"])], required=["cast-grey-iron", "turning"],
                                    quantity=30)

    assert groups == []


def test_consortium_adds_capacity_up_to_the_quantity_and_stays_minimal():
    small = [member(pk, ["cast-grey-iron"], capacity=12, score=0.9 - pk / 10) for pk in (1, 2, 3)]

    groups = consortium_suggestions(small, required=["cast-grey-iron"], quantity=30)

    assert [[m.ikm_id for m in g.members] for g in groups] == [[1, 2, 3]]
    assert groups[0].capacity == 36


def test_consortium_leaves_out_ikms_too_far_apart():
    caster = member(1, ["cast-grey-iron"])
    far_turner = member(2, ["turning"], at=(-7.25, 112.75))  # Surabaya, about 400 km away
    near_turner = member(3, ["turning"], at=(-6.88, 109.38))  # Pemalang

    groups = consortium_suggestions([caster, far_turner, near_turner], required=["cast-grey-iron", "turning"],
                                    quantity=None)

    assert [[m.ikm_id for m in g.members] for g in groups] == [[1, 3]]
    assert 20 < groups[0].km < 40
