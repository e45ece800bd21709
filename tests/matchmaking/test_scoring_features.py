from datetime import date

import numpy as np
import pytest

from matchmaking.scoring.features import IkmFeatures, build_ikm_features, build_need_features
from matchmaking.scoring.taxonomy import CERTIFICATION_INDEX, PROCESS_INDEX


def test_build_ikm_features_rejects_codes_outside_the_vocabulary():
    with pytest.raises(ValueError, match="unknown code 'bubut'"):
        build_ikm_features(processes=[["bubut"]])


def test_build_ikm_features_fills_unknowns_with_nan():
    ikms = build_ikm_features(processes=[["turning"]], capacity_tons_month=[None], coordinates=[None])
    assert np.isnan(ikms.capacity_tons_month[0])
    assert np.isnan(ikms.latitude[0]) and np.isnan(ikms.longitude[0])
    assert ikms.processes[0, PROCESS_INDEX["turning"]] == 1.0


def test_valid_certifications_drop_expired_ones_on_the_reference_date():
    ikms = build_ikm_features(
        processes=[["turning"]],
        certifications=[{"iso-9001": date(2026, 5, 31), "sni": date(2026, 6, 1), "tkdn": None}],
        reference_date=date(2026, 6, 1),
    )
    valid = ikms.valid_certifications()[0]
    assert not valid[CERTIFICATION_INDEX["iso-9001"]]
    assert valid[CERTIFICATION_INDEX["sni"]]  # valid through its last day
    assert valid[CERTIFICATION_INDEX["tkdn"]]


def test_ikm_features_accept_sparse_matrices():
    import scipy.sparse as sp

    processes = sp.csr_matrix(np.eye(2, 26))
    ikms = IkmFeatures(processes=processes, materials=np.zeros((2, 11)), certifications=np.zeros((2, 6)))
    assert ikms.processes.shape == (2, 26)
    assert len(ikms) == 2


def test_need_features_required_certificate_is_not_also_preferred():
    needs = build_need_features(
        processes=[["welding"]],
        certifications_required=[["smk3"]],
        certifications_preferred=[["smk3", "sni"]],
    )
    assert needs.certifications_required[0, CERTIFICATION_INDEX["smk3"]]
    assert not needs.certifications_preferred[0, CERTIFICATION_INDEX["smk3"]]
    assert needs.certifications_preferred[0, CERTIFICATION_INDEX["sni"]]


def test_ikm_features_reject_wrong_shapes():
    with pytest.raises(ValueError, match="materials"):
        IkmFeatures(processes=np.zeros((2, 26)), materials=np.zeros((3, 11)), certifications=np.zeros((2, 6)))
