"""Constructors that take their arguments by position in TF's order, where scopeflow's own
constructor lists fewer of them before ``**kwargs`` (``LSTM(64, "relu")`` is
``activation="relu"``, as in TF): :func:`tf_positional`; and :func:`bound_init`, the
``__init__`` of generated classes (loss and metric wrappers) with TF's signature."""

from __future__ import annotations

import functools
import inspect

REQUIRED = inspect.Parameter.empty


def tf_positional(*params: tuple[str, object]):
    """Class decorator: positional constructor arguments are bound to ``params``' names
    (``(name, default)`` pairs in TF's order, ``REQUIRED`` for no default) and passed on by
    keyword; the class's signature is TF's (then, keyword-only, the constructor's own
    parameters TF takes in ``**kwargs``). Python's TypeErrors for too many positional
    arguments or one given twice."""
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    names = [name for name, _ in params]

    def decorate(cls):
        init = cls.__init__
        own = inspect.signature(init).parameters.values()
        extra = [  # scopeflow's own keywords (time_major, implementation), keyword-only
            p.replace(kind=inspect.Parameter.KEYWORD_ONLY)
            for p in own
            if p.name not in names and p.name != "self" and p.kind == kind
        ]
        shown = [inspect.Parameter("self", kind)]
        shown += [inspect.Parameter(name, kind, default=default) for name, default in params]
        shown += [*extra, inspect.Parameter("kwargs", inspect.Parameter.VAR_KEYWORD)]
        signature = inspect.Signature(shown)

        @functools.wraps(init)
        def __init__(self, *args, **kwargs):  # noqa: N807
            if len(args) > len(names):
                raise TypeError(
                    f"{cls.__name__}.__init__() takes from 2 to {len(names) + 1} positional "
                    f"arguments but {len(args) + 1} were given"
                )
            for name, value in zip(names, args, strict=False):
                if name in kwargs:
                    raise TypeError(
                        f"{cls.__name__}.__init__() got multiple values for argument '{name}'"
                    )
                kwargs[name] = value
            init(self, **kwargs)

        __init__.__signature__ = signature
        del __init__.__wrapped__  # inspect.signature shows TF's, not the wrapped one's
        cls.__init__ = __init__
        return cls

    return decorate


def bound_init(class_name: str, params, body):
    """An ``__init__`` whose signature is ``self`` then ``params`` (``(name, default)``
    pairs, by position or keyword, in TF's order): it binds its arguments to them (Python's
    TypeErrors for too many, unknown or repeated ones, naming ``class_name``) and calls
    ``body(self, arguments)`` with the bound ones (those given, ``self`` included)."""
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    shown = [inspect.Parameter("self", kind)]
    shown += [inspect.Parameter(name, kind, default=default) for name, default in params]
    signature = inspect.Signature(shown)

    def __init__(self, *args, **kwargs):  # noqa: N807
        try:
            arguments = signature.bind(self, *args, **kwargs).arguments
        except TypeError as e:
            raise TypeError(f"{class_name}.__init__() {e}") from None
        body(self, arguments)

    __init__.__signature__ = signature
    return __init__


_INITIALIZERS = (
    ("kernel_initializer", "glorot_uniform"),
    ("recurrent_initializer", "orthogonal"),
    ("bias_initializer", "zeros"),
)
_REGULARIZERS = (
    ("kernel_regularizer", None),
    ("recurrent_regularizer", None),
    ("bias_regularizer", None),
)
_CONSTRAINTS = (
    ("kernel_constraint", None),
    ("recurrent_constraint", None),
    ("bias_constraint", None),
)
_DROPOUTS = (("dropout", 0.0), ("recurrent_dropout", 0.0))
_LAYER = (
    ("return_sequences", False),
    ("return_state", False),
    ("go_backwards", False),
    ("stateful", False),
)
_ACTIVATIONS = (("activation", "tanh"), ("recurrent_activation", "hard_sigmoid"))
_FORGET = (("unit_forget_bias", True),)
_ACTIVITY = (("activity_regularizer", None),)
_UNITS = (("units", REQUIRED),)
_USE_BIAS = (("use_bias", True),)

# TF 2.21's tf.compat.v1.keras orders (the v1 LSTM and GRU: hard_sigmoid, reset_after False)
SIMPLE_RNN_CELL = (
    *_UNITS,
    ("activation", "tanh"),
    *_USE_BIAS,
    *_INITIALIZERS,
    *_REGULARIZERS,
    *_CONSTRAINTS,
    *_DROPOUTS,
)
LSTM_CELL = (
    *_UNITS,
    *_ACTIVATIONS,
    *_USE_BIAS,
    *_INITIALIZERS,
    *_FORGET,
    *_REGULARIZERS,
    *_CONSTRAINTS,
    *_DROPOUTS,
)
GRU_CELL = (
    *_UNITS,
    *_ACTIVATIONS,
    *_USE_BIAS,
    *_INITIALIZERS,
    *_REGULARIZERS,
    *_CONSTRAINTS,
    *_DROPOUTS,
    ("reset_after", False),
)
SIMPLE_RNN = (
    *SIMPLE_RNN_CELL[:9],
    *_ACTIVITY,
    *SIMPLE_RNN_CELL[9:],
    *_LAYER,
    ("unroll", False),
)
LSTM = (*LSTM_CELL[:11], *_ACTIVITY, *LSTM_CELL[11:], *_LAYER, ("unroll", False))
GRU = (*GRU_CELL[:10], *_ACTIVITY, *GRU_CELL[10:-1], *_LAYER, ("unroll", False), GRU_CELL[-1])
CUDNN_LSTM = (*_UNITS, *_INITIALIZERS, *_FORGET, *_REGULARIZERS, *_ACTIVITY, *_CONSTRAINTS, *_LAYER)
