from __future__ import annotations

import keras
import numpy as np
import pytest

from training.callbacks import checkpoint_epoch, learning_rate, list_checkpoints, make_callbacks, make_optimizer
from training.config import load_config


def _training(**changes):
    return {**load_config()["training"], **changes}


@pytest.mark.parametrize("schedule", ["cosine", "exponential"])
def test_callbacks_learning_rate_schedules_decay(schedule):
    rate = learning_rate(_training(lr_schedule=schedule, learning_rate=0.1, epochs=4, lr_decay_rate=0.5), steps_per_epoch=10)
    values = [float(rate(step)) for step in (0, 10, 20, 39)]
    assert values[0] == pytest.approx(0.1)
    assert values == sorted(values, reverse=True) and values[-1] < 0.05
    if schedule == "exponential":
        assert values[1] == pytest.approx(0.05)  # one epoch = one decay step


def test_callbacks_constant_rate_and_optimizers():
    assert learning_rate(_training(learning_rate=0.01), 5) == 0.01
    assert isinstance(make_optimizer(_training(optimizer="sgd"), 5), keras.optimizers.SGD)
    assert isinstance(make_optimizer(_training(optimizer="adamw", weight_decay=0.01), 5), keras.optimizers.AdamW)


def test_callbacks_checkpoints_pruned_to_the_newest(tmp_path):
    callbacks = make_callbacks(_training(checkpoints_to_keep=2, tensorboard=False, early_stopping_patience=0),
                               tmp_path, resuming=False, write=True)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    model.fit(np.zeros((4, 2)), np.zeros((4, 1)), epochs=3, verbose=0, callbacks=callbacks)
    assert [p.name for p in list_checkpoints(tmp_path)] == ["epoch_002.keras", "epoch_003.keras"]
    assert (tmp_path / "history.csv").read_text().count("\n") == 4


def test_callbacks_checkpoint_names():
    assert checkpoint_epoch("run/checkpoints/epoch_012.keras") == 12
    with pytest.raises(ValueError, match="not a checkpoint name"):
        checkpoint_epoch("model.keras")
