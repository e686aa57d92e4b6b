import numpy as np
import pytest

from training.models.sequence import LastTokens, RightPaddedMask


def test_sequence_mask_keeps_tokens_and_first_step_only():
    ids = np.array([[3, 4, 0, 0], [0, 0, 0, 0], [1, 2, 3, 4]])
    mask = np.asarray(RightPaddedMask()(ids))
    assert mask.tolist() == [[True, True, False, False], [True, False, False, False], [True] * 4]


@pytest.mark.parametrize("n,expected", [(1, [[7], [5], [0]]), (3, [[5, 6, 7], [0, 0, 5], [0, 0, 0]]),
                                        (5, [[0, 0, 5, 6, 7], [0, 0, 0, 0, 5], [0] * 5])])
def test_sequence_last_tokens_left_pads_short_rows(n, expected):
    ids = np.array([[5, 6, 7, 0], [5, 0, 0, 0], [0, 0, 0, 0]])
    assert np.asarray(LastTokens(n)(ids)).tolist() == expected


def test_sequence_last_tokens_config_and_bad_n():
    assert LastTokens.from_config(LastTokens(4, name="ctx").get_config()).n == 4
    with pytest.raises(ValueError, match=r"`n` must be an int >= 1. Received: n=0"):
        LastTokens(0)
