from __future__ import annotations

import pytest

from training.errors import UserError
from training.model_kinds import build_model, check_model_section, register_model_kind


def _toy(vocab_size: int, num_classes: int, *, width: int = 4, ratios: tuple = (1, 2), name: str = "toy"):
    import keras

    if width < 1:
        raise ValueError(f"`width` must be >= 1. Received: width={width}")
    ids = keras.Input((3,), dtype="int64")
    x = keras.layers.GlobalAveragePooling1D()(keras.layers.Embedding(vocab_size, width)(ids))
    return keras.Model(ids, keras.layers.Dense(num_classes, activation="softmax")(x), name=name)


register_model_kind("toy", _toy, "text")


def test_model_kinds_defaults_filled_and_types_checked():
    assert check_model_section({"kind": "toy"}) == {"kind": "toy", "width": 4, "ratios": [1, 2]}
    with pytest.raises(UserError, match=r"model.width must be int, got float 2.5"):
        check_model_section({"kind": "toy", "width": 2.5})
    with pytest.raises(UserError, match=r"unknown setting model.depth for model.kind = 'toy'; known: width, ratios"):
        check_model_section({"kind": "toy", "depth": 3})


def test_model_kinds_build_passes_data_arguments_the_builder_takes():
    model = build_model({"kind": "toy", "width": 2}, vocab_size=7, num_classes=3, input_shape=(2, 2))
    assert model.output_shape == (None, 3) and model.layers[1].input_dim == 7


def test_model_kinds_builder_errors_become_user_errors():
    with pytest.raises(UserError, match=r"\[model\] kind = 'toy': `width` must be >= 1. Received: width=0"):
        build_model({"kind": "toy", "width": 0}, vocab_size=7, num_classes=3)


def test_model_kinds_register_checks_arguments():
    with pytest.raises(ValueError, match="`modality` must be 'text' or 'image'"):
        register_model_kind("bad", _toy, "audio")
