from __future__ import annotations

import pytest

from training.errors import UserError
from training.strategy import is_chief, precision_policy, read_tf_config, select_strategy


def test_strategy_tf_config_errors():
    with pytest.raises(UserError, match=r"TF_CONFIG must be a JSON object with 'cluster' and 'task'"):
        read_tf_config(required=True, environ={"TF_CONFIG": "[1, 2]"})
    assert read_tf_config(required=False, environ={"TF_CONFIG": "  "}) is None


def test_strategy_chief_roles():
    cluster = {"chief": ["a:1"], "worker": ["b:1"]}
    assert is_chief({"cluster": cluster, "task": {"type": "chief", "index": 0}})
    assert not is_chief({"cluster": cluster, "task": {"type": "worker", "index": 0}})
    assert is_chief({"cluster": {"worker": ["b:1", "c:1"]}, "task": {"type": "worker", "index": 0}})


def test_strategy_selection_on_cpu(monkeypatch):
    import tensorflow as tf

    monkeypatch.delenv("TF_CONFIG", raising=False)
    assert select_strategy("default") is tf.distribute.get_strategy()
    assert select_strategy("auto") is tf.distribute.get_strategy()
    mirrored = select_strategy("mirrored")
    assert isinstance(mirrored, tf.distribute.MirroredStrategy) and mirrored.num_replicas_in_sync == 1


def test_strategy_precision_policy_is_restored():
    import keras

    with precision_policy(True):
        assert keras.mixed_precision.global_policy().name == "mixed_float16"
        assert keras.layers.Dense(2).compute_dtype == "float16"
    assert keras.mixed_precision.global_policy().name == "float32"
