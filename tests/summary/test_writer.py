"""Tests for scopeflow/summary/writer.py and graph_export.py: ``tf.summary.FileWriter`` writes
events files as TF1 does (name, first event, steps, metadata kept once), loses nothing on
flush/close, leaves whole records when killed, and TensorBoard's own loader reads them."""

from __future__ import annotations

import os
import pathlib
import re
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.summary import protos, wire

pytest.importorskip("tensorboard")

ROOT = pathlib.Path(__file__).resolve().parents[2]
TF_EVENTS = ROOT / "tests" / "data" / "summary" / "tf_events"


def _events(logdir) -> list:
    [path] = sorted(pathlib.Path(logdir).glob("events.out.tfevents.*"))
    return list(tf.train.summary_iterator(str(path)))


def _scalar(tag: str, value: float):
    return tf.Summary(value=[tf.Summary.Value(tag=tag, simple_value=value)])


def test_events_file_is_named_and_starts_as_tensorflows(tmp_path):
    writer = tf.summary.FileWriter(str(tmp_path / "logs"), filename_suffix=".sfx")
    writer.close()
    [path] = os.listdir(tmp_path / "logs")
    host = re.escape(socket.gethostname())
    assert re.fullmatch(rf"events\.out\.tfevents\.\d{{10}}\.{host}\.sfx", path)
    [first] = _events(tmp_path / "logs")
    assert first.file_version == "brain.Event:2"
    assert first.wall_time == int(path.split(".")[3])  # whole seconds, as TF's EventsWriter
    assert writer.get_logdir() == str(tmp_path / "logs")


def test_summaries_session_logs_and_run_metadata_are_written_in_order(tmp_path, graph):
    x = tf.placeholder(tf.float32, [], name="x")
    merged = tf.summary.merge([tf.summary.scalar("x", x)])
    with tf.summary.FileWriter(str(tmp_path)) as writer, tf.Session() as sess:
        writer.add_summary(sess.run(merged, {x: 1.5}), 3)  # as Session.run returns it
        writer.add_summary(sess.run(merged, {x: 2.5}), global_step=np.int64(4))
        writer.add_summary(_scalar("y", 7.0))
        writer.add_session_log(tf.SessionLog(status=tf.SessionLog.START), 5)
        writer.add_run_metadata(tf.RunMetadata(), "step5", 5)
        with pytest.raises(ValueError, match="already used"):
            writer.add_run_metadata(tf.RunMetadata(), "step5", 6)
        writer.add_event(tf.Event(wall_time=1.0, step=9, file_version="x"))
    events = _events(tmp_path)[1:]
    assert [e.step for e in events] == [3, 4, 0, 5, 5, 9]
    assert [v.simple_value for e in events[:3] for v in e.summary.value] == [1.5, 2.5, 7.0]
    assert events[3].session_log.status == tf.SessionLog.START
    assert events[4].tagged_run_metadata.tag == "step5"
    assert (events[5].wall_time, events[5].file_version) == (1.0, "x")


def test_metadata_is_kept_only_the_first_time_a_tag_is_seen(tmp_path, graph):
    text = tf.summary.text("note", tf.constant("hi"))
    with tf.summary.FileWriter(str(tmp_path)) as writer, tf.Session() as sess:
        for step in range(2):
            writer.add_summary(sess.run(text), step)
    first, second = (e.summary.value[0] for e in _events(tmp_path)[1:])
    assert first.metadata.plugin_data.plugin_name == "text"
    assert not second.HasField("metadata")
    assert second.tensor.string_val == [b"hi"]


def test_flush_and_close_lose_nothing_with_a_small_queue(tmp_path):
    writer = tf.summary.FileWriter(str(tmp_path), max_queue=2)
    for step in range(500):
        writer.add_summary(_scalar("s", float(step)), step)
    writer.flush()
    assert len(_events(tmp_path)) == 501
    for step in range(500, 600):
        writer.add_summary(_scalar("s", float(step)), step)
    writer.close()
    writer.add_summary(_scalar("s", -1.0), 9999)  # dropped once closed, as TF1
    assert [e.step for e in _events(tmp_path)[1:]] == list(range(600))


def test_events_reach_the_file_every_flush_secs_without_a_flush(tmp_path):
    writer = tf.summary.FileWriter(str(tmp_path), flush_secs=0.05)
    for step in range(3):  # fewer than max_queue
        writer.add_summary(_scalar("s", 1.0), step)
    deadline = time.monotonic() + 10
    while len(_events(tmp_path)) < 4 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert [e.step for e in _events(tmp_path)[1:]] == [0, 1, 2]
    writer.close()


def test_threads_sharing_a_writer_lose_nothing(tmp_path):
    writer = tf.summary.FileWriter(str(tmp_path), max_queue=3)

    def add(start):
        for step in range(start, start + 200):
            writer.add_summary(_scalar(f"t{start}", float(step)), step)

    threads = [threading.Thread(target=add, args=(i * 1000,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    writer.close()
    steps = sorted(e.step for e in _events(tmp_path)[1:])
    assert steps == sorted(i * 1000 + k for i in range(4) for k in range(200))


def test_reopen_writes_a_new_file(tmp_path):
    writer = tf.summary.FileWriter(str(tmp_path))
    writer.add_summary(_scalar("s", 1.0), 1)
    writer.close()
    writer.reopen()
    writer.close()  # no event since reopening: no new file, as TF's EventsWriter
    assert len(os.listdir(tmp_path)) == 1
    writer.reopen()
    writer.add_summary(_scalar("s", 2.0), 2)
    writer.close()
    paths = sorted(tmp_path.iterdir(), key=os.path.getmtime)
    assert len(paths) in (1, 2)  # the same second gives the same name: appended to
    steps = [e.step for p in paths for e in tf.train.summary_iterator(str(p)) if e.summary.value]
    assert steps == [1, 2]


def test_file_writer_cache_gives_one_writer_per_directory(tmp_path, graph):
    a = tf.summary.FileWriterCache.get(str(tmp_path))
    assert tf.summary.FileWriterCache.get(str(tmp_path)) is a
    tf.summary.FileWriterCache.clear()
    assert tf.summary.FileWriterCache.get(str(tmp_path)) is not a
    tf.summary.FileWriterCache.clear()


def test_unsupported_and_wrong_arguments(tmp_path):
    with pytest.raises(NotImplementedError, match="session=None"):
        tf.summary.FileWriter(str(tmp_path), session=object())
    writer = tf.summary.FileWriter(str(tmp_path))
    with pytest.raises(TypeError, match="instance of `Graph`"):
        writer.add_graph(42)
    with pytest.raises(ValueError, match="not both"):
        writer.add_graph(tf.Graph(), graph_def=object())
    with pytest.raises(Exception, match="Error parsing message"):
        writer.add_summary(b"garbage\xff\xff", 1)  # TF1's DecodeError
    writer.close()


def test_without_tensorboard_file_writer_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "tensorboard.compat.proto.summary_pb2", None)
    with pytest.raises(ImportError, match=re.escape("pip install scopeflow[tensorboard]")):
        tf.summary.FileWriter(str(tmp_path))
    with pytest.raises(ImportError, match="tensorboard"):
        tf.Summary()
    with pytest.raises(ImportError, match=re.escape(protos.EXTRA)):
        tf.Summary.Value  # noqa: B018 - the attribute's lookup imports


def test_a_killed_writer_leaves_whole_records(tmp_path):
    script = textwrap.dedent(
        f"""
        import os, signal, scopeflow as tf
        writer = tf.summary.FileWriter({str(tmp_path)!r})
        for step in range(300):
            writer.add_summary(
                tf.Summary(value=[tf.Summary.Value(tag="s", simple_value=step)]), step)
            if step == 199:
                writer.flush()
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=False)
    assert result.returncode == -signal.SIGKILL
    steps = [e.step for e in _events(tmp_path)[1:]]  # reads without a DataLossError
    assert steps == list(range(len(steps))) and len(steps) >= 200


def test_summary_iterator_reads_tensorflows_events_file():
    [path] = TF_EVENTS.glob("events.out.tfevents.*")
    events = list(tf.train.summary_iterator(str(path)))
    assert events[0].file_version == "brain.Event:2"
    assert events[1].HasField("graph_def")
    scalars = [
        (e.step, v.tag, v.simple_value)
        for e in events
        for v in e.summary.value
        if v.HasField("simple_value")
    ]
    assert scalars == [
        (0, "total", -2.0),
        (1, "total", 0.0),
        (2, "total", 2.0),
        (10, "total", 18.0),
    ]
    assert events[-1].session_log.status == tf.SessionLog.STOP


def test_tensorboard_reads_scalars_histograms_images_and_the_graph(tmp_path, graph):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    x = tf.placeholder(tf.float32, [2, 3], name="x")
    with tf.name_scope("layer1"):
        total = tf.reduce_sum(x * 2.0, name="total")
        tf.summary.scalar("loss", total)
        tf.summary.histogram("activations", x)
        tf.summary.image("input", tf.reshape(x, [1, 2, 3, 1]))
    merged = tf.summary.merge_all()
    with tf.summary.FileWriter(str(tmp_path), graph) as writer, tf.Session() as sess:
        for step in range(4):
            writer.add_summary(sess.run(merged, {x: np.full([2, 3], step, np.float32)}), step)
    accumulator = EventAccumulator(str(tmp_path), size_guidance={"images": 0})
    accumulator.Reload()
    tags = accumulator.Tags()
    assert tags["scalars"] == ["layer1/loss"] and tags["histograms"] == ["layer1/activations"]
    assert [(s.step, s.value) for s in accumulator.Scalars("layer1/loss")] == [
        (0, 0.0),
        (1, 12.0),
        (2, 24.0),
        (3, 36.0),
    ]
    histogram = accumulator.Histograms("layer1/activations")[-1].histogram_value
    assert (histogram.min, histogram.max, histogram.num, histogram.sum) == (3.0, 3.0, 6.0, 18.0)
    image = accumulator.Images("layer1/input/image/0")[-1]
    assert (image.width, image.height) == (3, 2)
    nodes = {node.name: node for node in accumulator.Graph().node}
    assert nodes["layer1/total"].op == "Sum" and nodes["layer1/mul"].input[0] == "x"
    assert "layer1/loss" in nodes


def test_graph_is_tf1s_graph_def_or_at_least_its_drawing(graph, monkeypatch):
    from scopeflow.summary import graph_export

    graph_pb2 = protos.proto_module("graph_pb2")
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    start = tf.no_op(name="start")
    with tf.name_scope("scope"), tf.control_dependencies([start]):
        tf.identity(x * 2.0, name="y")
    exported = graph_export.graph_def_bytes(graph)
    assert exported == graph.as_graph_def(add_shapes=True).SerializeToString()

    def refuse(**kwargs):
        raise ValueError("no TensorFlow encoding")

    monkeypatch.setattr(graph, "as_graph_def", refuse)
    nodes = graph_pb2.GraphDef.FromString(graph_export.graph_def_bytes(graph)).node
    assert [(n.name, n.op, list(n.input)) for n in nodes] == [
        ("x", "Placeholder", []),
        ("start", "NoOp", []),
        ("scope/mul/y", "Const", ["^start"]),
        ("scope/mul", "Mul", ["x", "scope/mul/y"]),
        ("scope/y", "Identity", ["scope/mul"]),
    ]
    assert nodes[0].attr["dtype"].type == tf.float32.as_datatype_enum
    assert [d.size for d in nodes[3].attr["_output_shapes"].list.shape[0].dim] == [-1, 3]


def test_event_bytes_match_the_proto():
    from scopeflow.summary.writer import _event_bytes

    data = _event_bytes(12.5, -3, wire.len_field(5, b""))
    assert tf.Event.FromString(data) == tf.Event(wall_time=12.5, step=-3, summary={})


def test_a_graph_given_to_the_writer_is_followed_by_its_meta_graph(tmp_path, graph):
    # As TF1: a file_version event, the GraphDef, then the MetaGraphDef with the collections.
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    tf.add_to_collection("my_outputs", tf.identity(x * 2.0, name="y"))
    tf.summary.FileWriter(str(tmp_path), graph).close()
    events = _events(tmp_path)
    assert [e.WhichOneof("what") for e in events] == ["file_version", "graph_def",
                                                      "meta_graph_def"]  # fmt: skip
    meta = tf.MetaGraphDef.FromString(events[2].meta_graph_def)
    assert list(meta.collection_def) == ["my_outputs"]
    assert [n.name for n in meta.graph_def.node] == ["x", "mul/y", "mul", "y"]
