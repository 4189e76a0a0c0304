"""``tf.contrib.training``: the training functions of ``training_ops.py`` (``create_train_op``,
``train``...) and ``HParams``: named hyperparameters with fixed types, overridden from a
``"name=value,..."`` string (a command-line flag), a dict or JSON, as TF 1.15's.

>>> from scopeflow.contrib.training import HParams
>>> hp = HParams(learning_rate=0.1, layers=[64, 64], activation="relu", use_bn=False)
>>> hp.parse("learning_rate=0.5,layers=[128,32],use_bn=true")
HParams([('activation', 'relu'), ('layers', [128, 32]), ('learning_rate', 0.5), ('use_bn', True)])
>>> hp.learning_rate, hp.values()["layers"]
(0.5, [128, 32])
"""

from __future__ import annotations

import json
import numbers
import re

from scopeflow.contrib.training_eval import (
    StopAfterNEvalsHook,
    SummaryAtEndHook,
    checkpoints_iterator,
    evaluate_once,
    evaluate_repeatedly,
    get_or_create_eval_step,
    wait_for_new_checkpoint,
)
from scopeflow.contrib.training_ops import (
    add_gradients_summaries,
    clip_gradient_norms,
    clip_gradient_norms_fn,
    create_train_op,
    multiply_gradients,
    train,
)
from scopeflow.train.device_setter import GreedyLoadBalancingStrategy, byte_size_load_fn

# One assignment of a "name=value,name=[v1,v2]" string; the ``index`` form sets one element.
_ASSIGNMENT = re.compile(
    r"(?P<name>[a-zA-Z][\w\.]*)(?P<index>\[\s*\d+\s*\])?\s*=\s*"
    r"((?P<val>[^,\[]*)|\[(?P<vals>[^\]]*)\])($|,\s*)"
)


def _cast(name, param_type, value):
    """``value`` as ``param_type``, refusing what TF1 refused: a non-string for a string, a
    bool for a number (and the reverse), a float for an int."""
    if issubclass(param_type, type(None)):
        return value
    failed = issubclass(param_type, (str, bytes)) and not isinstance(value, (str, bytes))
    failed = failed or issubclass(param_type, bool) != isinstance(value, bool)
    failed = failed or (
        issubclass(param_type, numbers.Integral) and not isinstance(value, numbers.Integral)
    )
    failed = failed or (
        issubclass(param_type, numbers.Number) and not isinstance(value, numbers.Number)
    )
    if failed:
        raise ValueError(
            f"Could not cast hparam '{name}' of type '{param_type}' from value {value!r}"
        )
    return param_type(value)


def _parse_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    return bool(int(text))


def _parse_one(name, param_type, text, source):
    if issubclass(param_type, bool):
        parse = _parse_bool
    elif issubclass(param_type, (str, bytes)) or param_type is type(None):
        return text
    else:
        parse = param_type
    try:
        return parse(text)
    except ValueError:
        raise ValueError(
            f"Could not parse hparam '{name}' of type '{param_type.__name__}' with value "
            f"'{text}' in {source}"
        ) from None


def parse_values(values: str, type_map: dict, ignore_unknown: bool = False) -> dict:
    """The assignments of ``values`` (``"a=1,b=[2,3]"``) as a dict, each parsed to the type
    ``type_map`` gives its name.

    Raises:
        ValueError: a malformed string, an unknown name (unless ``ignore_unknown``), a name
            assigned twice, or a value that does not parse as its type.
    """
    result: dict = {}
    pos = 0
    while pos < len(values):
        match = _ASSIGNMENT.match(values, pos)
        if not match:
            raise ValueError(f"Malformed hyperparameter value: {values[pos:]}")
        pos = match.end()
        name = match.group("name")
        if name not in type_map:
            if ignore_unknown:
                continue
            raise ValueError(f"Unknown hyperparameter type for {name}")
        if match.group("index"):
            raise NotImplementedError(
                f"Indexed assignment ({match.group(0).strip(',')}) is not supported; assign "
                f"the whole list: {name}=[v1,v2,...]"
            )
        if name in result:
            raise ValueError(f"Multiple assignments to variable '{name}' in {values}")
        param_type = type_map[name]
        if match.group("vals") is not None:
            items = [s for s in match.group("vals").split(",") if s.strip()]
            result[name] = [_parse_one(name, param_type, s.strip(), values) for s in items]
        else:
            result[name] = _parse_one(name, param_type, match.group("val").strip(), values)
    return result


class HParams:
    """Hyperparameters as attributes, each keeping the type (and list-ness) it was made with.

    Raises (``add_hparam``): ValueError for a name that is already an attribute or an empty
    list value.
    """

    def __init__(self, hparam_def=None, model_structure=None, **kwargs):
        if hparam_def is not None:
            raise NotImplementedError(
                "HParams(hparam_def=...) reads a TF HParamDef protobuf, which scopeflow does "
                "not support; pass the values as keyword arguments or use parse_json()"
            )
        self._hparam_types: dict = {}
        self._model_structure = model_structure
        for name, value in kwargs.items():
            self.add_hparam(name, value)

    def add_hparam(self, name: str, value) -> None:
        """Adds ``name`` with ``value``; its type is ``value``'s (its first element's for a
        list)."""
        if getattr(self, name, None) is not None:
            raise ValueError(f"Hyperparameter name is reserved: {name}")
        if isinstance(value, (list, tuple)):
            if not value:
                raise ValueError(f"Multi-valued hyperparameters cannot be empty: {name}")
            self._hparam_types[name] = (type(value[0]), True)
        else:
            self._hparam_types[name] = (type(value), False)
        setattr(self, name, value)

    def set_hparam(self, name: str, value) -> None:
        """Sets ``name`` to ``value`` cast to its type.

        Raises:
            KeyError: no such hyperparameter.
            ValueError: a list for a single value, or the reverse, or an incompatible type.
        """
        param_type, is_list = self._hparam_types[name]
        if isinstance(value, list):
            if not is_list:
                raise ValueError(f"Must not pass a list for single-valued parameter: {name}")
            setattr(self, name, [_cast(name, param_type, v) for v in value])
        else:
            if is_list:
                raise ValueError(f"Must pass a list for multi-valued parameter: {name}.")
            setattr(self, name, _cast(name, param_type, value))

    def del_hparam(self, name: str) -> None:
        """Removes ``name`` (nothing happens when it does not exist)."""
        if hasattr(self, name):
            delattr(self, name)
            del self._hparam_types[name]

    def parse(self, values: str) -> HParams:
        """Overrides hyperparameters from ``"name=value,name=[v1,v2]"``; returns ``self``."""
        types = {name: t for name, (t, _) in self._hparam_types.items()}
        return self.override_from_dict(parse_values(values, types))

    def override_from_dict(self, values_dict: dict) -> HParams:
        """Sets each ``name: value`` of ``values_dict``; returns ``self``."""
        for name, value in values_dict.items():
            self.set_hparam(name, value)
        return self

    def set_model_structure(self, model_structure) -> None:
        self._model_structure = model_structure

    def get_model_structure(self):
        return self._model_structure

    def to_json(self, indent=None, separators=None, sort_keys=False) -> str:
        """The values as a JSON object."""
        return json.dumps(self.values(), indent=indent, separators=separators, sort_keys=sort_keys)

    def parse_json(self, values_json: str) -> HParams:
        """Overrides hyperparameters from a JSON object; returns ``self``."""
        return self.override_from_dict(json.loads(values_json))

    def values(self) -> dict:
        """A dict from each name to its value."""
        return {name: getattr(self, name) for name in self._hparam_types}

    def get(self, key: str, default=None):
        """``key``'s value, or ``default`` when there is no such hyperparameter.

        Raises:
            ValueError: ``default``'s type is incompatible with ``key``'s.
        """
        if key not in self._hparam_types:
            return default
        if default is not None:
            param_type, is_list = self._hparam_types[key]
            kind = f"list<{param_type.__name__}>" if is_list else param_type.__name__
            fail = ValueError(
                f"Hparam '{key}' of type '{kind}' is incompatible with default={default!r}"
            )
            if is_list != isinstance(default, list):
                raise fail
            for item in default if is_list else [default]:
                try:
                    _cast(key, param_type, item)
                except ValueError:
                    raise fail from None
        return getattr(self, key)

    def __contains__(self, key) -> bool:
        return key in self._hparam_types

    def __str__(self) -> str:
        return str(sorted(self.values().items()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self})"


__all__ = [
    "GreedyLoadBalancingStrategy",
    "byte_size_load_fn",
    "HParams",
    "StopAfterNEvalsHook",
    "SummaryAtEndHook",
    "checkpoints_iterator",
    "evaluate_once",
    "evaluate_repeatedly",
    "get_or_create_eval_step",
    "wait_for_new_checkpoint",
    "add_gradients_summaries",
    "clip_gradient_norms",
    "clip_gradient_norms_fn",
    "create_train_op",
    "multiply_gradients",
    "parse_values",
    "train",
]
