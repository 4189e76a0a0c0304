"""Records what TensorFlow's summary kernels and FileWriter produce, for tests/summary/.

Run with a Python that has TensorFlow (never needed by the tests themselves)::

    /tmp/tfref/bin/python tests/data/summary/make_reference.py

It writes ``reference.json`` beside this file: for each case (an op built by
``tensorflow.compat.v1.summary`` on the inputs given, stored with it), the serialized
``Summary`` the kernel returned (hex) or the run-time error's type and message; and
``tf_events/``, an events file TensorFlow's own ``FileWriter`` wrote (scalars, a histogram,
an image, a session log and a small graph).
"""

from __future__ import annotations

import json
import os
import pathlib
import shutil

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow.compat.v1 as tf  # noqa: E402
from tensorflow.python.framework import error_interpolation  # noqa: E402

tf.disable_v2_behavior()
# Its node notes read op tracebacks, which crash for ops built by eval: the bare kernel message.
error_interpolation.interpolate_graph = lambda message, graph: message
HERE = pathlib.Path(__file__).resolve().parent

_wave = np.sin(np.arange(60, dtype=np.float64) * 0.37) * 3.0
# (case id, what to build: "op(args)" over the inputs named in it, inputs {name: (dtype, value)})
CASES = [
    ("scalar_f32", "tf.summary.scalar('loss', a)", {"a": ("float32", 1.5)}),
    ("scalar_f64", "tf.summary.scalar('loss', a)", {"a": ("float64", 0.1)}),
    ("scalar_i32", "tf.summary.scalar('n', a)", {"a": ("int32", 7)}),
    ("scalar_u8", "tf.summary.scalar('n', a)", {"a": ("uint8", 200)}),
    ("scalar_nan", "tf.summary.scalar('n', a)", {"a": ("float32", float("nan"))}),
    ("scalar_neg_zero", "tf.summary.scalar('n', a)", {"a": ("float32", -0.0)}),
    ("scalar_zero", "tf.summary.scalar('n', a)", {"a": ("float32", 0.0)}),
    ("scalar_family", "tf.summary.scalar('loss', a, family='train')", {"a": ("float32", 2.0)}),
    ("scalar_vector", "tf.summary.scalar('loss', a)", {"a": ("float32", [1.0, 2.0])}),
    ("histogram_f32", "tf.summary.histogram('w', a)", {"a": ("float32", _wave.tolist())}),
    (
        "histogram_f64_2d",
        "tf.summary.histogram('w', a)",
        {"a": ("float64", (_wave.reshape(6, 10) * 1e3).tolist())},
    ),
    ("histogram_i32", "tf.summary.histogram('w', a)", {"a": ("int32", [0, 0, 1, -3, 7, 7, 7])}),
    ("histogram_empty", "tf.summary.histogram('w', a)", {"a": ("float32", [])}),
    (
        "histogram_huge",
        "tf.summary.histogram('w', a)",
        {"a": ("float64", [1e25, -1e25, 1e-13, -1e-13, 0.0, 1.0])},
    ),
    ("histogram_scalar", "tf.summary.histogram('w', a)", {"a": ("float32", 0.25)}),
    ("histogram_nan", "tf.summary.histogram('w', a)", {"a": ("float32", [1.0, float("nan")])}),
    ("histogram_inf", "tf.summary.histogram('w', a)", {"a": ("float32", [float("inf")])}),
    (
        "image_f32",
        "tf.summary.image('img', a)",
        {"a": ("float32", (np.abs(np.sin(np.arange(120) * 0.3)) * 7).reshape(2, 4, 5, 3).tolist())},
    ),
    (
        "image_f32_signed",
        "tf.summary.image('img', a, max_outputs=1)",
        {"a": ("float32", np.sin(np.arange(18) * 0.9).reshape(2, 3, 3, 1).tolist())},
    ),
    (
        "image_f32_nan",
        "tf.summary.image('img', a)",
        {"a": ("float32", [[[[0.5, 0.25, float("nan")], [1.0, 0.0, 0.75]]]])},
    ),
    (
        "image_f32_rgba_inf",
        "tf.summary.image('img', a)",
        {"a": ("float32", [[[[0.5, -0.25, float("inf"), 1.0], [1.0, 0.0, 0.75, 0.5]]]])},
    ),
    (
        "image_f64",
        "tf.summary.image('img', a, max_outputs=5)",
        {
            "a": (
                "float64",
                (np.cos(np.arange(24) * 0.5) * 2.0).reshape(3, 2, 2, 2)[..., :1].tolist(),
            )
        },
    ),
    (
        "image_f16",
        "tf.summary.image('img', a)",
        {"a": ("float16", (np.arange(12) / 7.0).reshape(1, 2, 2, 3).tolist())},
    ),
    (
        "image_zero",
        "tf.summary.image('img', a)",
        {"a": ("float32", np.zeros([1, 2, 2, 1]).tolist())},
    ),
    (
        "image_u8",
        "tf.summary.image('img', a, max_outputs=1)",
        {"a": ("uint8", (np.arange(96) * 7 % 256).reshape(2, 3, 4, 4).tolist())},
    ),
    (
        "image_u8_noise",  # compresses poorly: two IDAT chunks
        "tf.summary.image('img', a)",
        {
            "a": (
                "uint8",
                ((np.arange(9216) * 2654435761 % 2**32) >> 24).reshape(1, 64, 48, 3).tolist(),
            )
        },
    ),
    (
        "image_u8_gradient",  # over 16 KiB of rows: zlib's full window
        "tf.summary.image('img', a)",
        {
            "a": (
                "uint8",
                (np.add.outer(np.arange(80) * 3, np.arange(240)) % 256)
                .reshape(1, 80, 80, 3)
                .tolist(),
            )
        },
    ),
    (
        "image_f32_waves",
        "tf.summary.image('img', a, max_outputs=2)",
        {"a": ("float32", np.sin(np.arange(1200) * 0.05).reshape(2, 20, 30, 1).tolist())},
    ),
    (
        "image_column",
        "tf.summary.image('img', a)",
        {"a": ("float32", (np.arange(15) % 4).reshape(1, 5, 1, 3).tolist())},
    ),
    (
        "image_row",
        "tf.summary.image('img', a)",
        {"a": ("float32", (np.arange(18) % 5).reshape(1, 1, 6, 3).tolist())},
    ),
    ("image_pixel", "tf.summary.image('img', a)", {"a": ("uint8", [[[[7]]]])}),
    ("image_rank3", "tf.summary.image('img', a)", {"a": ("float32", np.zeros([2, 2, 3]).tolist())}),
    (
        "image_channels2",
        "tf.summary.image('img', a)",
        {"a": ("float32", np.zeros([1, 2, 2, 2]).tolist())},
    ),
    (
        "audio_2d",
        "tf.summary.audio('snd', a, 8000)",
        {"a": ("float32", (np.sin(np.arange(100) * 0.21) * 1.3).reshape(2, 50).tolist())},
    ),
    (
        "audio_3d",
        "tf.summary.audio('snd', a, r, max_outputs=1)",
        {
            "a": ("float32", (np.cos(np.arange(40) * 0.4) * 0.9).reshape(1, 20, 2).tolist()),
            "r": ("float32", 22050.5),
        },
    ),
    ("audio_rank1", "tf.summary.audio('snd', a, 8000)", {"a": ("float32", [0.0, 1.0])}),
    (
        "audio_rate0",
        "tf.summary.audio('snd', a, r)",
        {"a": ("float32", [[0.0, 1.0]]), "r": ("float32", 0.0)},
    ),
    ("text_vector", "tf.summary.text('txt', a)", {"a": ("string", ["hello", "wörld"])}),
    ("text_scalar", "tf.summary.text('txt', a)", {"a": ("string", "**bold**")}),
    (
        "tensor_f32",
        "tf.summary.tensor_summary('ts', a)",
        {"a": ("float32", [[1.0, -2.0, 3.5], [0.0, 1e-3, 7.0]])},
    ),
    (
        "tensor_i64_scalar",
        "tf.summary.tensor_summary('ts', a, summary_description='desc', display_name='dn')",
        {"a": ("int64", 12345678901)},
    ),
    (
        "tensor_empty",
        "tf.summary.tensor_summary('ts', a)",
        {"a": ("float32", np.zeros([0, 2]).tolist())},
    ),
    ("tensor_bool", "tf.summary.tensor_summary('ts', a)", {"a": ("bool", [True, False])}),
    (
        "merge",
        "tf.summary.merge([tf.summary.scalar('a', a), tf.summary.histogram('b', b)])",
        {"a": ("float32", 3.0), "b": ("float32", [1.0, 2.0])},
    ),
    (
        "merge_duplicate",
        "tf.summary.merge([tf.summary.scalar('a', a)] * 2)",
        {"a": ("float32", 3.0)},
    ),
    ("merge_garbage", "tf.summary.merge([a])", {"a": ("string", ["\x0a\x05ab"])}),
]


def _run_case(build: str, inputs: dict) -> dict:
    with tf.Graph().as_default():
        feeds = {}
        env = {"tf": tf, "np": np}
        for name, (dtype, value) in inputs.items():
            array = np.array(value, dtype=object if dtype == "string" else dtype)
            holder = tf.placeholder(dtype, array.shape, name=name)
            env[name] = holder
            feeds[holder] = array
        op = eval(compile(build, "<case>", "eval"), env)
        with tf.Session() as sess:
            try:
                out = sess.run(op, feeds)
            except tf.errors.OpError as e:
                return {"error": type(e).__name__, "message": e.message}
    return {"bytes": out.hex()}


def _tf_events(directory: pathlib.Path) -> None:
    shutil.rmtree(directory, ignore_errors=True)
    with tf.Graph().as_default() as graph:
        x = tf.placeholder(tf.float32, [2], name="x")
        with tf.name_scope("layer"):
            y = tf.reduce_sum(x * 2.0, name="total")
        s = tf.summary.scalar("total", y)
        h = tf.summary.histogram("x", x)
        i = tf.summary.image("pic", tf.reshape(x, [1, 1, 2, 1]))
        merged = tf.summary.merge_all()
        writer = tf.summary.FileWriter(str(directory), graph)
        with tf.Session() as sess:
            for step in range(3):
                writer.add_summary(sess.run(merged, {x: [step, -1.0]}), step)
            writer.add_summary(sess.run(s, {x: [9.0, 0.0]}), 10)
        del h, i
        writer.add_session_log(tf.SessionLog(status=tf.SessionLog.STOP), 11)
        writer.close()


def main() -> None:
    cases = {}
    for case_id, build, inputs in CASES:
        cases[case_id] = {"build": build, "inputs": inputs, **_run_case(build, inputs)}

    text = "{\n" + f' "tensorflow": {json.dumps(tf.__version__)},\n "cases": {{\n'
    text += ",\n".join(f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in cases.items())
    text += "\n }\n}\n"
    (HERE / "reference.json").write_text(text)
    _tf_events(HERE / "tf_events")


if __name__ == "__main__":
    main()
