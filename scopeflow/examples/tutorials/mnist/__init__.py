"""``tensorflow.examples.tutorials.mnist``: ``input_data`` (MNIST's files as ``DataSet``s) and
``mnist`` (the fully connected tutorial model)."""

from __future__ import annotations

from scopeflow.examples.tutorials.mnist import input_data, mnist

__all__ = ["input_data", "mnist"]
