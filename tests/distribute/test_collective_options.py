"""Tests for scopeflow/distribute/collective_options.py: ``tf.distribute.RunOptions`` and the
collective options of ``tf.distribute.experimental`` as TF 2.21's."""

from __future__ import annotations

import pytest

import scopeflow as tf

exp = tf.distribute.experimental


def test_communication_options_are_tfs():
    impl = exp.CommunicationImplementation
    assert [m.value for m in impl] == ["AUTO", "RING", "NCCL"]
    assert exp.CollectiveCommunication is impl
    o = exp.CommunicationOptions(bytes_per_pack=10, timeout_seconds=2.0, implementation="nccl")
    assert str(o) == (
        "Options(bytes_per_pack=10,timeout_seconds=2.0, "
        "implementation=CommunicationImplementation.NCCL)"
    )
    merged = exp.CommunicationOptions(bytes_per_pack=5).merge(o)
    assert (merged.bytes_per_pack, merged.implementation) == (10, impl.NCCL)
    hints = exp.CollectiveHints(bytes_per_pack=10)
    assert isinstance(hints, exp.CommunicationOptions) and hints.implementation is impl.AUTO
    with pytest.raises(ValueError, match="`bytes_per_pack` must be >=0, Received -1"):
        exp.CommunicationOptions(bytes_per_pack=-1)
    with pytest.raises(ValueError, match="'X' is not a valid CommunicationImplementation"):
        exp.CommunicationOptions(implementation="x")


def test_run_options_and_server_are_tfs():
    assert repr(tf.distribute.RunOptions()) == (
        "RunOptions(experimental_enable_dynamic_batch_size=True, "
        "experimental_bucketizing_dynamic_shape=False, experimental_xla_options=None)"
    )
    assert tf.distribute.RunOptions(False).experimental_enable_dynamic_batch_size is False
    assert tf.distribute.Server is tf.train.Server
