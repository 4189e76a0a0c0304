"""Summaries end to end: scalar and histogram under a name scope, image, audio and text
summaries, a scalar in a custom collection, merge_all by key and merge, FileWriter with the
graph, add_summary per step, add_run_metadata of a FULL_TRACE run, then the events read back
with summary_iterator and a merged Summary parsed (histogram, image, audio, text plugin).

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import glob
import os

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(2)
    logdir = os.path.join(str(workdir), "logs")
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(1)
        img = tf.constant(rng.rand(2, 4, 4, 3).astype(np.float32))
        wav = tf.constant(np.sin(np.linspace(0, 20, 80)).reshape(1, 80, 1).astype(np.float32))
        w = tf.Variable(tf.random_normal([10]), name="w")
        step = tf.train.get_or_create_global_step()
        inc = tf.assign_add(step, 1)
        with tf.name_scope("stats"):
            s1 = tf.summary.scalar("mean", tf.reduce_mean(w))
            s2 = tf.summary.histogram("w", w)
        s3 = tf.summary.image("imgs", img, max_outputs=1)
        s4 = tf.summary.audio("tone", wav, 8000, max_outputs=1)
        s5 = tf.summary.text("note", tf.constant("hello *world*"))
        extra = tf.summary.scalar("extra", tf.constant(3.5), collections=["custom"])
        merged = tf.summary.merge_all()
        custom = tf.summary.merge_all(key="custom")
        both = tf.summary.merge([s1, extra])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            writer = tf.summary.FileWriter(logdir, sess.graph)
            for _ in range(2):
                summ, st = sess.run([merged, inc])
                writer.add_summary(summ, st)
            writer.add_summary(sess.run(custom), 5)
            opts = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
            meta = tf.RunMetadata()
            sess.run(both, options=opts, run_metadata=meta)
            writer.add_run_metadata(meta, "step5", 5)
            writer.flush()
            writer.close()
            parsed = tf.Summary.FromString(sess.run(merged))
        events = []
        for path in sorted(glob.glob(os.path.join(logdir, "events.out.tfevents.*"))):
            for ev in tf.train.summary_iterator(path):
                kind = ev.WhichOneof("what")
                tags = sorted(v.tag for v in ev.summary.value) if kind == "summary" else []
                events.append([int(ev.step), kind, tags])
        values = {}
        for v in parsed.value:
            k = v.WhichOneof("value")
            if k == "simple_value":
                values[v.tag] = [k, float(v.simple_value)]
            elif k == "histo":
                values[v.tag] = [
                    k,
                    float(v.histo.min),
                    float(v.histo.max),
                    float(v.histo.num),
                    len(v.histo.bucket),
                ]
            elif k == "image":
                values[v.tag] = [k, v.image.height, v.image.width, v.image.colorspace]
            elif k == "audio":
                values[v.tag] = [
                    k,
                    float(v.audio.sample_rate),
                    v.audio.num_channels,
                    v.audio.length_frames,
                    v.audio.content_type,
                ]
            else:
                values[v.tag] = [k, v.metadata.plugin_data.plugin_name]
        return {
            "names": [t.name for t in (s1, s2, s3, s4, s5, extra, merged, custom, both)],
            "events": events,
            "values": values,
            "collections": [t.name for t in g.get_collection(tf.GraphKeys.SUMMARIES)],
        }


EXPECTED = {
    "names": [
        "stats/mean_1:0",
        "stats/w:0",
        "imgs:0",
        "tone:0",
        "note:0",
        "extra:0",
        "Merge/MergeSummary:0",
        "Merge_1/MergeSummary:0",
        "Merge_2/MergeSummary:0",
    ],
    "events": [
        [0, "file_version", []],
        [0, "graph_def", []],
        [0, "meta_graph_def", []],
        [1, "summary", ["imgs/image", "note", "stats/mean_1", "stats/w", "tone/audio"]],
        [2, "summary", ["imgs/image", "note", "stats/mean_1", "stats/w", "tone/audio"]],
        [5, "summary", ["extra"]],
        [5, "tagged_run_metadata", []],
    ],
    "values": {
        "stats/mean_1": ["simple_value", -0.04677688330411911],
        "stats/w": ["histo", -2.2560465335845947, 1.0428433418273926, 10.0, 21],
        "imgs/image": ["image", 4, 4, 3],
        "tone/audio": ["audio", 8000.0, 1, 80, "audio/wav"],
        "note": ["tensor", "text"],
    },
    "collections": ["stats/mean_1:0", "stats/w:0", "imgs:0", "tone:0", "note:0"],
}


def test_summaries_events_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
