"""Pure scoring core of matchmaking: numpy/scipy only, no Django (see ``engine`` for the formula).

Public API::

    from matchmaking.scoring import score_pairs, IkmFeatures, NeedFeatures, Feedback
"""

import importlib

# Each name with the module it comes from, imported when first asked for (PEP 562): the directory's search
# imports `text` alone, and a web process need not load scipy with the engine for it.
_EXPORTS = {
    "NeedResult": "engine", "PairExplanation": "engine", "prepare_ikms": "engine", "score_pairs": "engine",
    "Dismissal": "features", "Feedback": "features", "IkmFeatures": "features", "NeedFeatures": "features",
    "TrustBoost": "features", "build_ikm_features": "features", "build_need_features": "features",
    "analyse": "text", "codes_from_text": "text",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    """One of the exported names, from its module (imported now if it was not yet)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
