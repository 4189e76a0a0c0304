"""``tf.estimator.WarmStartSettings`` and the warm start an ``Estimator`` does when its
``model_dir`` has no checkpoint yet: variables' initializers load their values from another
checkpoint, through TF1's ``tf.train.warm_start`` (``train/warm_starting_util.py``)."""

from __future__ import annotations

import collections
import logging
import os

from scopeflow.train.warm_starting_util import warm_start as train_warm_start

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
    all of them; a list of names or variables over the global ones; ``None``: only those of
    ``var_name_to_vocab_info``), the ``tf.estimator.VocabInfo`` of variables whose vocabulary
    changed, and their names in that checkpoint when they differ
    (``var_name_to_prev_var_name``).

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
        return super().__new__(
            cls,
            ckpt_to_initialize_from,
            vars_to_warm_start,
            var_name_to_vocab_info or {},
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


def warm_start(settings: WarmStartSettings) -> None:
    """Points the selected variables' initializers at ``settings``' checkpoint
    (``tf.train.warm_start``)."""
    _log.info("Warm-starting with WarmStartSettings: %s", settings)
    train_warm_start(*settings)
