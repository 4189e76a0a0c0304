"""``tf.contrib.tensorboard.plugins.projector``: TensorBoard's embedding projector set up as TF1
programs (word2vec's tutorial) do: a ``ProjectorConfig`` naming the embedding variables, their
metadata and sprites, written by ``visualize_embeddings`` next to a writer's event files.

The messages are TensorBoard's own (``tensorboard.plugins.projector``), so this needs the
``tensorboard`` extra (``pip install 'scopeflow[tensorboard]'``), imported when first used.

>>> import os, tempfile, scopeflow as tf
>>> from scopeflow.contrib.tensorboard.plugins import projector
>>> config = projector.ProjectorConfig()
>>> embedding = config.embeddings.add()
>>> embedding.tensor_name, embedding.metadata_path = "embedding:0", "metadata.tsv"
>>> with tempfile.TemporaryDirectory() as logdir:
...     writer = tf.summary.FileWriter(logdir)
...     projector.visualize_embeddings(writer, config)
...     writer.close()
...     print(open(os.path.join(logdir, "projector_config.pbtxt")).read(), end="")
embeddings {
  tensor_name: "embedding:0"
  metadata_path: "metadata.tsv"
}
"""

from __future__ import annotations

import os
import tempfile

_MESSAGES = ("ProjectorConfig", "EmbeddingInfo", "SpriteMetadata")
CONFIG_FILE = "projector_config.pbtxt"  # the name TensorBoard's projector plugin reads


def _protos():
    try:
        from tensorboard.plugins.projector import projector_config_pb2
    except ImportError as e:
        raise ImportError(
            "tf.contrib.tensorboard.plugins.projector needs TensorBoard's messages: install "
            f"scopeflow's `tensorboard` extra (pip install 'scopeflow[tensorboard]') ({e})"
        ) from e
    return projector_config_pb2


def __getattr__(name: str):
    if name in _MESSAGES:
        return getattr(_protos(), name)
    raise AttributeError(f"module 'projector' has no attribute {name!r}")


def visualize_embeddings(summary_writer, config) -> None:
    """Writes ``config`` (a ``ProjectorConfig``) as ``projector_config.pbtxt`` into
    ``summary_writer``'s log directory, where TensorBoard's projector finds it."""
    from google.protobuf import text_format

    logdir = summary_writer.get_logdir()
    if logdir is None:
        raise ValueError("Summary writer must have a logdir")
    if not isinstance(config, _protos().ProjectorConfig):
        raise TypeError(f"config must be a projector.ProjectorConfig, got {type(config)}")
    text = text_format.MessageToString(config)
    with tempfile.NamedTemporaryFile("w", dir=logdir, delete=False, suffix=".tmp") as f:
        f.write(text)
    os.replace(f.name, os.path.join(logdir, CONFIG_FILE))
