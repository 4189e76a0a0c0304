"""tf.compat.forward_compatible / forward_compatibility_horizon: the answers below are
TF 2.21's (horizon 2026-01-16; TF_FORWARD_COMPATIBILITY_DELTA_DAYS moves it)."""

from __future__ import annotations

import inspect
import logging

import scopeflow as tf


def test_signatures_and_the_horizon():
    compat = tf.compat
    assert str(inspect.signature(compat.forward_compatible)) == "(year, month, day)"
    assert str(inspect.signature(compat.forward_compatibility_horizon)) == "(year, month, day)"
    assert (compat.forward_compatible(2026, 1, 16), compat.forward_compatible(2026, 1, 15)) == (
        False, True,
    )  # fmt: skip
    # TF compares the fields' bits side by side, with no calendar check
    assert (compat.forward_compatible(2026, 13, 1), compat.forward_compatible(2026, 1, 40)) == (
        False, True,
    )  # fmt: skip
    assert tf.compat.v1.compat.forward_compatible is compat.forward_compatible


def test_horizon_block_and_a_past_date(caplog):
    compat = tf.compat
    with compat.forward_compatibility_horizon(2030, 1, 1):
        assert compat.forward_compatible(2029, 12, 31)
        assert not compat.forward_compatible(2030, 1, 1)
    assert not compat.forward_compatible(2029, 12, 31)
    with caplog.at_level(logging.WARNING, logger="tensorflow"):
        with compat.forward_compatibility_horizon(2020, 1, 1):
            assert compat.forward_compatible(2021, 1, 1)  # ignored: still TF 2.21's date
    assert "Trying to set the forward compatibility date to the past date 2020-01-01" in (
        caplog.text
    )


def test_delta_days_variable(monkeypatch):
    compat = tf.compat
    monkeypatch.setenv("TF_FORWARD_COMPATIBILITY_DELTA_DAYS", "30")
    with compat.forward_compatibility_horizon(2030, 1, 1):
        pass  # leaving the block reads the variable again, as TF's
    assert (compat.forward_compatible(2026, 2, 14), compat.forward_compatible(2026, 2, 15)) == (
        True, False,
    )  # fmt: skip
    monkeypatch.delenv("TF_FORWARD_COMPATIBILITY_DELTA_DAYS")
    with compat.forward_compatibility_horizon(2030, 1, 1):
        pass
    assert not compat.forward_compatible(2026, 1, 16)
