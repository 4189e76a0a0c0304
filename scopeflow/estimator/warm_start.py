"""``tf.estimator.WarmStartSettings`` and the warm start an ``Estimator`` does when its
``model_dir`` has no checkpoint yet: variables' initializers load their values from another
checkpoint (``tf.train.init_from_checkpoint``), as TF1's ``tf.train.warm_start``."""

from __future__ import annotations

import collections
import logging
import os

from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph import GraphKeys
from scopeflow.train.checkpoint_utils import init_from_checkpoint
from scopeflow.variables.variables import Variable

_log = logging.getLogger("tensorflow")


class WarmStartSettings(
    collections.namedtuple(
        "WarmStartSettings",
        [
            "ckpt_to_initialize_from",
            "vars_to_warm_start",
            "var_name_to_vocab_info",
            "var_name_to_prev_var_name",
        ],
    )
):
    """Where to warm-start from (a checkpoint or its directory), which variables
    (``vars_to_warm_start``: a regular expression over the trainable variables, by default
    all of them; a list of names or variables over the global ones; ``None``: none) and
    their names in that checkpoint when they differ (``var_name_to_prev_var_name``).

    >>> import scopeflow as tf
    >>> tf.estimator.WarmStartSettings("/tmp/model", vars_to_warm_start="dense.*")[:2]
    ('/tmp/model', 'dense.*')
    """

    def __new__(
        cls,
        ckpt_to_initialize_from,
        vars_to_warm_start=".*",
        var_name_to_vocab_info=None,
        var_name_to_prev_var_name=None,
    ):
        if not ckpt_to_initialize_from:
            raise ValueError("`ckpt_to_initialize_from` MUST be set in WarmStartSettings")
        if var_name_to_vocab_info:
            raise NotImplementedError(
                "WarmStartSettings(var_name_to_vocab_info=...) is not supported: remapping "
                "vocabularies needs tf.estimator.VocabInfo, which scopeflow does not have. "
                "Warm-start embeddings whose vocabulary did not change without it."
            )
        return super().__new__(
            cls,
            ckpt_to_initialize_from,
            vars_to_warm_start,
            {},
            var_name_to_prev_var_name or {},
        )


def warm_start_settings(warm_start_from):
    """``WarmStartSettings`` from an ``Estimator``'s ``warm_start_from`` (a path or the
    settings themselves)."""
    if warm_start_from is None:
        return None
    if isinstance(warm_start_from, (str, bytes, os.PathLike)):
        path = os.fsdecode(warm_start_from)
        if os.path.exists(os.path.join(path, "variables", "variables.index")):
            _log.info("Warm-starting from a SavedModel")
            return WarmStartSettings(os.path.join(path, "variables", "variables"))
        return WarmStartSettings(path)
    if isinstance(warm_start_from, WarmStartSettings):
        return warm_start_from
    raise ValueError(
        "warm_start_from must be a string or a WarmStartSettings, instead got "
        f"{type(warm_start_from)}"
    )


def _variables_to_warm_start(vars_to_warm_start) -> list:
    graph = get_default_graph()
    if isinstance(vars_to_warm_start, str):
        return graph.get_collection(GraphKeys.TRAINABLE_VARIABLES, scope=vars_to_warm_start)
    if isinstance(vars_to_warm_start, list):
        if all(isinstance(v, str) for v in vars_to_warm_start):
            found = []
            for pattern in vars_to_warm_start:
                found += graph.get_collection(GraphKeys.GLOBAL_VARIABLES, scope=pattern)
            return list(dict.fromkeys(found))
        if all(isinstance(v, Variable) for v in vars_to_warm_start):
            return list(vars_to_warm_start)
    if vars_to_warm_start is None:
        return []
    raise ValueError(
        "vars_to_warm_start must be a `str`, a list of `str` or of `Variable`, or `None`; "
        f"got {vars_to_warm_start!r}"
    )


def warm_start(settings: WarmStartSettings) -> None:
    """Points the selected variables' initializers at ``settings``' checkpoint."""
    _log.info("Warm-starting with WarmStartSettings: %s", settings)
    _log.info("Warm-starting from: %s", settings.ckpt_to_initialize_from)
    chosen = _variables_to_warm_start(settings.vars_to_warm_start)
    renames = settings.var_name_to_prev_var_name
    # A partitioned variable's parts are warm-started together, under its full name.
    grouped = {}
    for var in chosen:
        info = var._save_slice_info
        grouped.setdefault(info.full_name if info else var.op.name, []).append(var)
    assignment = {}
    for name, parts in grouped.items():
        assignment[renames.get(name, name)] = (
            parts if len(parts) > 1 or parts[0]._save_slice_info else parts[0]
        )
    if assignment:
        init_from_checkpoint(settings.ckpt_to_initialize_from, assignment)
    _log.info("Warm-started %d variables.", len(assignment))
    unused = set(renames) - set(grouped)
    if unused:
        raise ValueError(
            "You provided the following variables in var_name_to_prev_var_name that were not "
            f"used: {unused}.  Perhaps you misspelled them?  Here is the list of viable "
            f"variable names: {list(grouped)}"
        )
