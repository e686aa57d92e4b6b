"""Which model builders an experiment config may name, and what data each one needs.

A model kind is a builder in :mod:`training.models` (or one registered with
:func:`register_model_kind`) plus the data it works on: ``modality`` is
``"text"`` or ``"image"``, ``task`` is ``"classification"`` or
``"language_model"``. The ``[model]`` section of a config holds ``kind`` and
keyword arguments of that builder; they are checked against the builder's
signature (name and type of its default) before any data is read.

>>> kind = MODEL_KINDS["cnn"]
>>> kind.modality, kind.task
('image', 'classification')
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from training.errors import UserError

__all__ = ["MODEL_KINDS", "ModelKind", "register_model_kind", "builder_parameters", "build_model", "DATA_ARGUMENTS"]

# Arguments that the training task derives from the data, never from the config.
DATA_ARGUMENTS = ("vocab_size", "num_classes", "input_shape", "sequence_length", "context_size", "idf",
                  "training_contexts")
# Builder arguments that take Python objects, not config values.
OBJECT_ARGUMENTS = ("preprocessor", "preprocessing", "embedding_weights", "name")


@dataclass(frozen=True)
class ModelKind:
    """A builder name (looked up in ``training.models``) or callable, and its data."""

    builder: str | Callable[..., Any]
    modality: str
    task: str
    signature_of: str | None = None  # a builder that forwards **kwargs documents its arguments here
    fixed: tuple[str, ...] = ()  # arguments the forwarding builder sets itself

    def load(self) -> Callable[..., Any]:
        if callable(self.builder):
            return self.builder
        import training.models

        try:
            return getattr(training.models, self.builder)
        except (AttributeError, ImportError) as err:
            raise UserError(
                f"model.kind {self.builder!r} is not available in this installation ({err}); "
                f"use one of: {', '.join(available_kinds())}"
            ) from None


MODEL_KINDS: dict[str, ModelKind] = {
    "average_embedding": ModelKind("average_embedding", "text", "classification"),
    "rnn": ModelKind("rnn", "text", "classification"),
    "lstm": ModelKind("lstm", "text", "classification", signature_of="rnn", fixed=("cell",)),
    "cnn": ModelKind("cnn", "image", "classification"),
    "resnet": ModelKind("resnet", "image", "classification"),
    "nnlm": ModelKind("nnlm", "text", "language_model"),
}


def register_model_kind(name: str, builder: Callable[..., Any], modality: str, task: str = "classification") -> None:
    """Make ``model.kind = name`` build with ``builder`` (for your own models and for tests)."""
    if modality not in ("text", "image"):
        raise ValueError(f"`modality` must be 'text' or 'image'. Received: modality={modality!r}")
    if task not in ("classification", "language_model"):
        raise ValueError(f"`task` must be 'classification' or 'language_model'. Received: task={task!r}")
    MODEL_KINDS[name] = ModelKind(builder, modality, task)


def available_kinds() -> list[str]:
    """The kinds whose builder can be loaded here."""
    import training.models

    out = []
    for name, kind in MODEL_KINDS.items():
        if callable(kind.builder) or kind.builder in getattr(training.models, "__all__", ()):
            out.append(name)
    return out


def builder_parameters(kind: str) -> dict[str, inspect.Parameter]:
    """The builder's keyword parameters that a config may set (data arguments excluded)."""
    spec = MODEL_KINDS[kind]
    builder = spec.load()
    if spec.signature_of:
        builder = ModelKind(spec.signature_of, spec.modality, spec.task).load()
    params = inspect.signature(builder).parameters
    return {
        name: p
        for name, p in params.items()
        if name not in DATA_ARGUMENTS + OBJECT_ARGUMENTS + spec.fixed
        and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    }


def _json_default(value: Any) -> Any:
    """The builder default as a TOML-friendly value (tuples as lists), or None."""
    if isinstance(value, tuple):
        value = list(value)
    if isinstance(value, (bool, int, float, str)) or (
        isinstance(value, list) and all(isinstance(v, (bool, int, float, str)) for v in value)
    ):
        return value
    return None


def check_model_section(model: dict[str, Any]) -> dict[str, Any]:
    """Validate ``[model]`` against the builder signature; return it with the builder's defaults filled in."""
    kind = model["kind"]
    params = builder_parameters(kind)
    resolved = {"kind": kind}
    for key, value in model.items():
        if key == "kind":
            continue
        if key in DATA_ARGUMENTS:
            raise UserError(f"model.{key} is derived from the data; remove it from the config")
        if key not in params:
            known = ", ".join(params)
            raise UserError(f"unknown setting model.{key} for model.kind = {kind!r}; known: {known}")
        default = params[key].default
        _check_value_type(f"model.{key}", value, default)
        resolved[key] = value
    for key, p in params.items():
        if key in resolved:
            continue
        if p.default is inspect.Parameter.empty:
            raise UserError(f"model.{key} is required for model.kind = {kind!r}; set it in [model]")
        default = _json_default(p.default)
        if default is not None:
            resolved[key] = default
    return resolved


def _check_value_type(where: str, value: Any, default: Any) -> None:
    if default is inspect.Parameter.empty or default is None:
        return
    if isinstance(default, tuple):
        default = list(default)
    expected = type(default)
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return
    if isinstance(value, bool) != isinstance(default, bool) or not isinstance(value, expected):
        raise UserError(f"{where} must be {expected.__name__}, got {type(value).__name__} {value!r}")


def build_model(model: dict[str, Any], **data_args: Any):
    """Call the builder of ``model['kind']`` with the config's arguments and the data arguments it accepts.

    Builder errors (an impossible value such as a negative dropout) become a
    one-line :class:`UserError` naming the ``[model]`` section.
    """
    kind = model["kind"]
    spec = MODEL_KINDS[kind]
    builder = spec.load()
    params = dict(inspect.signature(builder).parameters)
    if spec.signature_of:
        params.update(inspect.signature(ModelKind(spec.signature_of, spec.modality, spec.task).load()).parameters)
        for name in spec.fixed:
            params.pop(name, None)
    kwargs = {k: v for k, v in model.items() if k != "kind"}
    for name, value in data_args.items():
        if name in params and value is not None:
            kwargs[name] = value
    missing = [n for n, p in params.items() if p.default is inspect.Parameter.empty and n not in kwargs
               and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    if missing:
        raise UserError(f"model.kind = {kind!r}: the builder needs {', '.join(missing)}, which the data does not give")
    try:
        return builder(**kwargs)
    except (ValueError, TypeError) as err:
        message = " ".join(str(err).split())
        raise UserError(f"[model] kind = {kind!r}: {message}") from None
