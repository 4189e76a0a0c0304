"""``tf.nn.experimental``: dropout with stateless or caller-given noise (TF's names)."""

from __future__ import annotations

import types

from scopeflow.ops.nn.dropout_v2 import general_dropout, stateless_dropout

experimental = types.SimpleNamespace(
    general_dropout=general_dropout,
    stateless_dropout=stateless_dropout,
)
