"""tf.contrib.layers / slim names against tf_slim: the variables (shapes, model and trainable
membership), UPDATE_OPS, output tensors and the collections each snippet of
``tests/data/contrib_layers_snippets.py`` fills, as ``make_contrib_layers_names.py`` wrote
them down from tf_slim 1.1 on TF 2.21."""

from __future__ import annotations

import json
import pathlib
import sys

import pytest

import scopeflow as tf

DATA = pathlib.Path(__file__).resolve().parents[1] / "data"
sys.path.insert(0, str(DATA))
from contrib_layers_snippets import SNIPPETS, record  # noqa: E402

EXPECTED = json.loads((DATA / "contrib_layers_names.json").read_text())


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_names_match_tf_slim(name):
    with tf.Graph().as_default():
        got = record(tf, tf.contrib.slim, SNIPPETS[name])
    assert got == EXPECTED[name]


def test_every_snippet_has_a_record():
    assert sorted(EXPECTED) == sorted(SNIPPETS)
