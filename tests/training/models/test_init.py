import importlib

import training.models as models


def test_init_builders_stay_functions_after_their_modules_are_imported():
    for module in ("averaged_embeddings", "convolutional", "residual", "recurrent", "neural_lm"):
        importlib.import_module(f"training.models.{module}")
    for name in ("average_embedding", "cnn", "resnet", "rnn", "nnlm"):
        assert callable(getattr(models, name)), name
        assert getattr(models, name).__name__ == name
    from training.models import lstm, rnn

    assert rnn.__module__ == lstm.__module__ == "training.models.recurrent"


def test_init_public_names_resolve_and_custom_modules_import():
    for name in models.__all__:
        assert getattr(models, name) is not None
    for module in models.CUSTOM_OBJECT_MODULES:
        importlib.import_module(module)
