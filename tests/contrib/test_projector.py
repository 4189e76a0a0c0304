"""Tests for ``tf.contrib.tensorboard.plugins.projector``: the configuration file TensorBoard's
projector reads, written as TF1's ``visualize_embeddings`` writes it."""

from __future__ import annotations

import os

import pytest

import scopeflow as tf

pytest.importorskip("tensorboard.plugins.projector")
projector = tf.contrib.tensorboard.plugins.projector


def test_visualize_embeddings_writes_the_config_beside_the_events(tmp_path):
    config = projector.ProjectorConfig()
    embedding = config.embeddings.add()
    embedding.tensor_name = "embedding:0"
    embedding.sprite.image_path = "sprite.png"
    embedding.sprite.single_image_dim.extend([28, 28])
    writer = tf.summary.FileWriter(str(tmp_path))
    projector.visualize_embeddings(writer, config)
    writer.close()
    text = (tmp_path / "projector_config.pbtxt").read_text()
    assert 'tensor_name: "embedding:0"' in text and "single_image_dim: 28" in text
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".tmp")]
    assert isinstance(embedding, projector.EmbeddingInfo)


def test_bad_arguments_are_named(tmp_path):
    writer = tf.summary.FileWriter(str(tmp_path))
    with pytest.raises(TypeError, match="must be a projector.ProjectorConfig"):
        projector.visualize_embeddings(writer, {"embeddings": []})
    with pytest.raises(AttributeError, match="has no attribute 'Nope'"):
        projector.Nope  # noqa: B018
    writer.close()
