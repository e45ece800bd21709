import numpy as np

from matchmaking.scoring.taxonomy import (
    MATERIAL_CODES,
    PROCESS_CODES,
    PROCESS_GROUPS,
    PROCESS_INDEX,
    PROCESS_KBLI,
    material_similarity_matrix,
    process_similarity_matrix,
    similarity_reason,
)


def test_process_codes_match_design_contract():
    assert len(PROCESS_CODES) == 26
    assert set(PROCESS_CODES) == {code for codes in PROCESS_GROUPS.values() for code in codes}
    assert len(MATERIAL_CODES) == 11


def test_similarity_matrices_have_unit_diagonal_and_values_in_unit_interval():
    for matrix in (process_similarity_matrix(), material_similarity_matrix()):
        assert np.allclose(np.diag(matrix), 1.0)
        assert matrix.min() >= 0.0
        off_diagonal = matrix[~np.eye(len(matrix), dtype=bool)]
        assert off_diagonal.max() < 1.0


def test_similarity_cnc_covers_turning_better_than_manual_lathe_covers_cnc():
    s = process_similarity_matrix()
    assert s[PROCESS_INDEX["cnc-machining"], PROCESS_INDEX["turning"]] == 0.8
    assert s[PROCESS_INDEX["turning"], PROCESS_INDEX["cnc-machining"]] < 0.8
    assert s[PROCESS_INDEX["cast-grey-iron"], PROCESS_INDEX["cast-ductile-iron"]] == 0.7
    assert s[PROCESS_INDEX["galvanizing"], PROCESS_INDEX["turning"]] == 0.0


def test_similarity_every_partial_credit_has_a_documented_reason():
    for codes, matrix in (
        (PROCESS_CODES, process_similarity_matrix()),
        (MATERIAL_CODES, material_similarity_matrix()),
    ):
        for i, j in zip(*np.nonzero(matrix), strict=True):
            if i != j:
                assert similarity_reason(codes[i], codes[j]), (codes[i], codes[j])


def test_kbli_every_process_has_a_five_digit_class():
    assert set(PROCESS_KBLI) == set(PROCESS_CODES)
    assert PROCESS_KBLI["cast-grey-iron"] == "24310"
    assert PROCESS_KBLI["cast-brass-bronze"] == "24320"
    assert all(len(code) == 5 and code.isdigit() for code in PROCESS_KBLI.values())
