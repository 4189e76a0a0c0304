"""Tests for scopeflow/train/example.py: ``tf.train.Example``, ``tf.train.SequenceExample`` and
the messages they hold are built, serialized and parsed as TensorFlow's are (bytes recorded
from TensorFlow 2.21 in tests/data/parsing_values.json by make_parsing_values.py), and
``import scopeflow`` does not import protobuf to offer them."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys

import pytest

import scopeflow as tf
from tests.data import parsing_model

PROTOS = json.loads(
    (pathlib.Path(__file__).resolve().parents[1] / "data" / "parsing_values.json").read_text()
)["protos"]
CLASSES = {
    "Example": tf.train.Example,
    "SequenceExample": tf.train.SequenceExample,
    "Feature": tf.train.Feature,
    "FeatureLists": tf.train.FeatureLists,
}
KIND = {"feature-only": "Feature", "lists": "FeatureLists"}


@pytest.mark.parametrize("name", sorted(PROTOS))
def test_serialized_bytes_are_tensorflows(name):
    assert parsing_model.protos(tf)[name] == PROTOS[name]


@pytest.mark.parametrize("name", sorted(PROTOS))
def test_tensorflows_bytes_parse_back_to_the_same_message(name):
    data = bytes.fromhex(PROTOS[name])
    kind = KIND.get(name, "SequenceExample" if "sequence" in name else "Example")
    message = CLASSES[kind].FromString(data)
    assert message.SerializeToString(deterministic=True) == data
    again = CLASSES[kind]()
    again.ParseFromString(data)
    assert again == message


def test_messages_are_protobuf_messages_with_tf_names_and_fields():
    example = parsing_model.example(tf, n=[3], t=[b"a"])
    feature = example.features.feature
    assert feature["n"].WhichOneof("kind") == "int64_list"
    assert list(feature["t"].bytes_list.value) == [b"a"]
    feature["n"].int64_list.value.append(4)
    assert list(feature["n"].int64_list.value) == [3, 4]
    assert type(example).__name__ == "Example"
    assert type(example).DESCRIPTOR.full_name == "tensorflow.Example"
    assert 'key: "n"' in str(example)
    seq = tf.train.SequenceExample()
    seq.feature_lists.feature_list["x"].feature.add().float_list.value.extend([1.0])
    assert seq.feature_lists.feature_list["x"].feature[0].float_list.value[0] == 1.0


def test_a_single_key_map_serializes_as_tensorflow_without_deterministic():
    assert parsing_model.example(tf, n=[1, 300, -1]).SerializeToString().hex() == PROTOS["one-int"]


def test_unknown_attribute_of_tf_train_raises_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'Exampel'"):
        _ = tf.train.Exampel


def test_import_scopeflow_does_not_import_protobuf():
    code = "import sys, scopeflow; print('google.protobuf' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
