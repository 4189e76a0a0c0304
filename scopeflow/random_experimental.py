"""``tf.random.experimental``: stateless seed splitting and shuffling, ``index_shuffle``
(TF's names)."""

from __future__ import annotations

import types

from scopeflow.ops.random.index_shuffle import index_shuffle
from scopeflow.ops.random.stateless_v2 import (
    Algorithm,
    create_rng_state,
    fold_in,
    split,
    stateless_shuffle,
)
from scopeflow.stateful_random import Generator, get_global_generator, set_global_generator

experimental = types.SimpleNamespace(
    Algorithm=Algorithm,
    Generator=Generator,
    create_rng_state=create_rng_state,
    get_global_generator=get_global_generator,
    index_shuffle=index_shuffle,
    set_global_generator=set_global_generator,
    stateless_fold_in=fold_in,
    stateless_shuffle=stateless_shuffle,
    stateless_split=split,
)
