"""``tf.case`` and ``tf.switch_case``: many-way branches made of ``tf.cond``.

``tf.case`` is built as TF1 builds it: one ``tf.cond`` per predicate, each the false branch of
the one before, ending in ``default``; without a default, the last pair's function is the
default, guarded by ``Assert`` ops that fail the run when no predicate (or another one) holds;
``exclusive=True`` adds an ``Assert`` that at most one predicate holds.

``tf.switch_case`` picks a branch by an integer index. TF builds it as one functional
``StatelessCase`` op with a function per branch (``switch_case/indexed_case``), which
scopeflow does not have; it builds the same choice as a chain of ``tf.cond`` on
``branch_index == k`` under the same name scope instead, with the same values, gradients and
fall-back (an index out of range takes ``default``, or the last branch).
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable

from scopeflow.framework import dtypes, nest, undo
from scopeflow.framework.constant import constant
from scopeflow.framework.graph_api import control_dependencies, name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import identity, stack
from scopeflow.ops.array.cast import cast
from scopeflow.ops.control.assertions import Assert
from scopeflow.ops.control.cond import cond
from scopeflow.ops.math.elementwise import equal, less_equal
from scopeflow.ops.math.reduction import reduce_sum


def _pairs(pred_fn_pairs, exclusive: bool, name: str) -> tuple[list, list]:
    """TF1's checks of ``pred_fn_pairs``: the predicates and functions, in order."""
    if not isinstance(pred_fn_pairs, (list, tuple, dict)):
        raise TypeError(
            f"'pred_fn_pairs' must be a list, tuple, or dict. Received: {type(pred_fn_pairs)}"
        )
    if isinstance(pred_fn_pairs, dict):
        pred_fn_pairs = sorted(pred_fn_pairs.items(), key=lambda item: item[0].name)
        if not exclusive:
            warnings.warn(
                f"{name}: An unordered dictionary of predicate/fn pairs was provided, but "
                "exclusive=False. The order of conditional tests is deterministic but not "
                "guaranteed.",
                stacklevel=4,
            )
    for pair in pred_fn_pairs:
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise TypeError(f"Each entry in 'pred_fn_pairs' must be a 2-tuple. Received {pair}.")
        pred, fn = pair
        if not isinstance(pred, Tensor):
            raise TypeError(f"pred must be a Tensor, got: {pred}")
        if pred.dtype != dtypes.bool:
            raise TypeError(f"pred must be Tensor of type bool: {pred.name}")
        if not callable(fn):
            raise TypeError(f"fn for pred {pred.name} must be callable.")
    if not pred_fn_pairs:
        raise ValueError(
            "'pred_fn_pairs' must hold at least one (predicate, fn) pair, got none "
            "(TF1: not enough values to unpack (expected 2, got 0))."
        )
    return [p for p, _ in pred_fn_pairs], [f for _, f in pred_fn_pairs]


def _assert_at_most_n_true(predicates: list, n: int, msg: str):
    """An ``Assert`` failing the run when more than ``n`` of ``predicates`` hold."""
    preds_c = stack(predicates, name="preds_c")
    num_true = reduce_sum(cast(preds_c, dtypes.int32), name="num_true_conds")
    condition = less_equal(num_true, constant(n, name="n_true_conds"))
    names = ", ".join(getattr(p, "name", "?") for p in predicates)
    data = [f"{msg}: more than {n} conditions ({names}) evaluated as True:", preds_c]
    return Assert(condition, data=data, summarize=len(predicates))


def _default_action(predicates: list, actions: list):
    """TF1's default when none is given: the last pair's function, once ``Assert`` ops have
    checked that its predicate holds and no other does."""
    k = len(predicates) - 1
    predicate, action = predicates[k], actions[k]

    def default_action():
        others_msg = (
            f"Implementation error: selected default action #{k} was called, but some of "
            "other predicates are True: "
        )
        default_msg = (
            "Input error: None of conditions evaluated as True:",
            stack(predicates, name="preds_c"),
        )
        with control_dependencies(
            [
                _assert_at_most_n_true(predicates[:k], n=0, msg=others_msg),
                Assert(predicate, data=default_msg),
            ]
        ):
            return action()

    return default_action, predicates[:k], actions[:k]


@undo.atomic
def case(
    pred_fn_pairs, default: Callable | None = None, exclusive=False, strict=False, name="case"
):
    """The result of the function of the first predicate that holds, else ``default()``.

    ``pred_fn_pairs`` is a list of ``(bool scalar tensor, callable)`` pairs (a dict is taken in
    the order of its predicates' names). Only the chosen function's ops run. Without
    ``default``, the last pair's function is the default and the run fails unless exactly its
    predicate holds when no other does. ``exclusive=True`` also fails the run when more than
    one predicate holds. ``strict`` is ``tf.cond``'s.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.placeholder(tf.int32, [])
    ...     y = tf.case([(x < 0, lambda: -1), (tf.equal(x, 0), lambda: 0)], default=lambda: 1)
    ...     with tf.Session() as sess:
    ...         print(y.name, [int(sess.run(y, {x: v})) for v in (-5, 0, 7)])
    case/cond/Merge:0 [-1, 0, 1]
    """
    predicates, actions = _pairs(pred_fn_pairs, exclusive, name)
    with name_scope(name, "case", [predicates]):
        if default is None:
            default, predicates, actions = _default_action(predicates, actions)
        fn = default
        for predicate, action in reversed(list(zip(predicates, actions, strict=True))):
            fn = functools.partial(cond, predicate, true_fn=action, false_fn=fn, strict=strict)
        if exclusive:
            check = _assert_at_most_n_true(predicates, n=1, msg="Input error: exclusive=True")
            with control_dependencies([check]):
                return fn()
        return fn()


def _branches(branch_index, branch_fns, default) -> list:
    """TF's checks of ``switch_case``'s arguments: the functions by key, ``default`` last."""
    if not isinstance(branch_index, Tensor):
        raise TypeError(f"'branch_index' must be a Tensor, got {type(branch_index)}")
    if not branch_index.dtype.is_integer:
        raise TypeError(f"'branch_index' must be an integer Tensor, got {branch_index.dtype}")
    if not branch_fns:
        raise ValueError("Must provide at least one item in 'branch_fns'")
    if not isinstance(branch_fns, (list, tuple, dict)):
        raise TypeError("'branch_fns' must be a list, tuple, or dict")
    if isinstance(branch_fns, dict):
        branch_fns = list(branch_fns.items())
    if all(callable(fn) for fn in branch_fns):
        branch_fns = list(enumerate(branch_fns))
    for pair in branch_fns:
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise TypeError(f"Each entry in 'branch_fns' must be a 2-tuple. Received {pair}.")
        key, fn = pair
        if not isinstance(key, int):
            raise TypeError(f"key must be a Python `int`, got {type(key)}")
        if not callable(fn):
            raise TypeError(f"fn for key {key} must be callable.")
    keys = [key for key, _ in branch_fns]
    if min(keys) < 0 or max(keys) >= len(keys) or len(set(keys)) != len(keys):
        found = ",".join(map(str, sorted(keys)))
        raise ValueError(
            f"branch indices (keys) must form contiguous range of [0 to {len(keys)}) but "
            f"found {{{found}}}"
        )
    actions = [fn for _, fn in sorted(branch_fns, key=lambda pair: pair[0])]
    if default is not None:
        actions.append(default)
    return actions


@undo.atomic
def switch_case(branch_index, branch_fns, default: Callable | None = None, name="switch_case"):
    """``branch_fns[branch_index]()``: only that branch's ops run.

    ``branch_fns`` is a list of callables, a list of ``(int, callable)`` pairs or a dict from
    ``int`` to callables, with keys ``0 ... len - 1``; an index outside them takes
    ``default()``, or the last branch when there is no default. The branches return one
    structure, which is returned.

    Built as a chain of ``tf.cond`` (TF builds one ``StatelessCase`` op with a function per
    branch; names inside differ from TF's, the scope and the values do not).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     i = tf.placeholder(tf.int32, [])
    ...     y = tf.switch_case(i, [lambda: 17, lambda: 31], default=lambda: -1)
    ...     with tf.Session() as sess:
    ...         print([int(sess.run(y, {i: v})) for v in (0, 1, 5)])
    [17, 31, -1]
    """
    actions = _branches(branch_index, branch_fns, default)
    with name_scope(name, "case", [branch_index]):
        if len(actions) == 1:  # the one branch always runs
            return nest.map_structure(identity, actions[0]())
        preds = [equal(branch_index, k) for k in range(len(actions) - 1)]
        fn = actions[-1]
        for pred, action in reversed(list(zip(preds, actions, strict=False))):
            fn = functools.partial(cond, pred, true_fn=action, false_fn=fn, strict=True)
        return fn()


__all__ = ["case", "switch_case"]
