"""Every weight and threshold of the scoring formula, in one place.

The score of IKM ``i`` for need ``n`` is

    base  = PROCESS·process + MATERIAL·material + CERT_PREFERRED·preferred_certs + CAPACITY·capacity
            + DISTANCE·distance + VERIFIED·verified + TEXT·text            (the weights sum to 1)
    score = clip(base · CERT_MISSING_FACTOR ** missing_required_certs · dismissal_factor + trust_boost, 0, 1)

with every component in [0, 1] (see ``engine`` for each one's definition). Pairs where the IKM plausibly
holds less than half of what is asked (``PRUNE_MIN_COVERAGE``) are not candidates and get no score.
Change a number here and both the engine and the naive scorer follow; ``bench_scoring`` shows the effect
on NDCG@10.
"""

from __future__ import annotations

# --- component weights (sum to 1, so the base score stays in [0, 1]) -----------------------------------
#: Can they do the work? The dominant question for a buyer.
PROCESS = 0.40
#: Do they work the metal asked for? A grey-iron foundry is not a brass foundry.
MATERIAL = 0.15
#: Preferred (not required) certificates: a tie-breaker, since required ones gate separately.
CERT_PREFERRED = 0.07
#: Can they deliver the tonnage? Small IKMs can still join a consortium, so this is not a gate.
CAPACITY = 0.10
#: Freight for castings and structures is costly; nearby suppliers are preferred, never required.
DISTANCE = 0.08
#: Dinas-verified profiles are more trustworthy than self-declared ones.
VERIFIED = 0.05
#: Prose similarity between need and profile (products, parts, machines named alike).
TEXT = 0.15

COMPONENT_WEIGHTS: dict[str, float] = {
    "process": PROCESS,
    "material": MATERIAL,
    "certification": CERT_PREFERRED,
    "capacity": CAPACITY,
    "distance": DISTANCE,
    "verified": VERIFIED,
    "text": TEXT,
}
assert abs(sum(COMPONENT_WEIGHTS.values()) - 1.0) < 1e-12

#: process = coverage ** PROCESS_EXPONENT, coverage being the satisfied share of the requirement weight.
#: Squared because a buyer wants one supplier for the whole job: covering 4 of 5 steps (0.8 → 0.64) is
#: clearly worse than covering all, while partial coverage still ranks above none.
PROCESS_EXPONENT = 2.0

# --- evidence ------------------------------------------------------------------------------------------
#: A capability found only in an IKM's prose counts at this share of its text confidence: owners write
#: loosely ("bisa machining ringan"), and a ticked box is a deliberate claim.
PROSE_DISCOUNT = 0.7
#: A code found only in a need's prose is asked for at this weight (a ticked requirement weighs 1).
NEED_PROSE_WEIGHT = 0.5

# --- gates and neutral values --------------------------------------------------------------------------
#: Each missing *required* certificate halves the score: one missing still shows the supplier (it may
#: be getting certified), two missing pushes it far down.
CERT_MISSING_FACTOR = 0.5
#: Process component when a need names no process at all (neither ticked nor in prose): neutral.
PROCESS_NO_REQUIREMENT = 0.5
#: Material / preferred-certificate component when the need asks for none: nothing is missing.
NO_REQUIREMENT = 1.0
#: capacity component = min(1, capacity / quantity) ** CAPACITY_EXPONENT; the square root is lenient
#: because half the tonnage is still a useful partial supplier (or consortium member).
CAPACITY_EXPONENT = 0.5
#: Capacity or quantity unknown: neither rewarded nor punished.
CAPACITY_UNKNOWN = 0.5
#: distance component = 1 / (1 + km / DISTANCE_HALF_KM): 0.5 at 300 km (Tegal–Bandung), 0.2 at 1,200 km.
DISTANCE_HALF_KM = 300.0
#: Coordinates missing on either side.
DISTANCE_UNKNOWN = 0.5
EARTH_RADIUS_KM = 6371.0088

# --- candidate pruning ---------------------------------------------------------------------------------
#: A required code is *plausibly held* when the IKM's satisfaction of it — ticked, prose-derived or by
#: similarity — reaches this value; 0.3 keeps same-group substitutes (turning for grinding) and drops
#: unrelated shops.
PRUNE_MIN_SATISFACTION = 0.3
#: An IKM is a candidate for a need only if it plausibly holds at least this share of the need's process
#: requirement weight (of its material weight when the need names no process; everyone when it names
#: neither). Half: a shop that can do half the job is still worth showing (as a consortium partner).
PRUNE_MIN_COVERAGE = 0.5

# --- text similarity -----------------------------------------------------------------------------------
#: Terms used by more than this share of IKM texts carry almost no signal ("besi", "baja") and would make
#: the sparse products dense; they are left out of the TF-IDF vocabulary (like scikit-learn's max_df).
TEXT_MAX_DF = 0.2
#: Terms must appear in at least this many IKM texts to be indexed (typos and one-off names).
TEXT_MIN_DF = 2
#: Below this many IKM texts document frequencies say nothing (six profiles, one "pompa" each): keep all.
TEXT_PRUNE_MIN_DOCS = 200

# --- feedback ------------------------------------------------------------------------------------------
#: A buyer's "not relevant" on (IKM, need) scales that IKM's score for the buyer's needs by
#: 1 − DISMISS_PENALTY · similarity(need, dismissed need), when the similarity reaches the minimum.
DISMISS_PENALTY = 0.7
DISMISS_MIN_SIMILARITY = 0.5
assert 0.0 <= DISMISS_PENALTY < 1.0  # a dismissal lowers a score, never below zero
#: Mutual interest (strength 1) or a partnership (strength 2) adds TRUST_BOOST_PER_UNIT per unit, capped.
TRUST_BOOST_PER_UNIT = 0.04
TRUST_BOOST_MAX = 0.08

# --- output --------------------------------------------------------------------------------------------
#: Scores are rounded to this many decimals so that ties (and therefore rankings) do not depend on
#: floating-point summation order, i.e. on the chunk size.
SCORE_DECIMALS = 9
