"""Pure scoring core of matchmaking: numpy/scipy only, no Django (see ``engine`` for the formula).

Public API::

    from matchmaking.scoring import score_pairs, IkmFeatures, NeedFeatures, Feedback
"""

from matchmaking.scoring.engine import NeedResult, PairExplanation, prepare_ikms, score_pairs
from matchmaking.scoring.features import (
    Dismissal,
    Feedback,
    IkmFeatures,
    NeedFeatures,
    TrustBoost,
    build_ikm_features,
    build_need_features,
)
from matchmaking.scoring.text import analyse, codes_from_text

__all__ = [
    "Dismissal",
    "Feedback",
    "IkmFeatures",
    "NeedFeatures",
    "NeedResult",
    "PairExplanation",
    "TrustBoost",
    "analyse",
    "build_ikm_features",
    "build_need_features",
    "codes_from_text",
    "prepare_ikms",
    "score_pairs",
]
