"""HDF5 files scopeflow's Keras writes (``Model.save``), loaded by TensorFlow's own Keras
(tf_keras, TF1 graph mode): the same predictions, and after one more training step on the
same batch the same predictions again (the optimizer's state in the file is TF's).

Runs only when ``SCOPEFLOW_TF_PYTHON`` names a Python interpreter with TensorFlow, tf_keras
and h5py (``SCOPEFLOW_TF_PYTHON=/path/to/tf-venv/bin/python pytest tests/reference``);
TensorFlow runs in that interpreter, never in this process. The default suite checks the
other direction (``tests/keras/test_saving_h5.py``: files tf_keras wrote, loaded here).
"""

from __future__ import annotations

import json
import os
import subprocess
import textwrap

import numpy as np
import pytest

import scopeflow as tf

TF_PYTHON = os.environ.get("SCOPEFLOW_TF_PYTHON")
DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")

pytestmark = pytest.mark.skipif(
    not TF_PYTHON, reason="set SCOPEFLOW_TF_PYTHON to a Python with TensorFlow to compare"
)

TF_SCRIPT = textwrap.dedent(
    """
    import json, os, sys
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    os.environ["TF_USE_LEGACY_KERAS"] = "1"
    import numpy as np
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    import tf_keras as keras
    path, inputs, targets = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
    x = [np.array(v, "float32") for v in inputs]
    y = [np.array(v, "float32") for v in targets]
    x, y = (x if len(x) > 1 else x[0]), (y if len(y) > 1 else y[0])
    model = keras.models.load_model(path)
    saved = model.predict(x)
    model.fit(x, y, batch_size=len(y[0]) if isinstance(y, list) else len(y), verbose=0)
    after = model.predict(x)
    listed = lambda p: [v.tolist() for v in p] if isinstance(p, list) else [p.tolist()]
    print(json.dumps({"saved": listed(saved), "after": listed(after)}))
    """
)


@pytest.mark.parametrize("name", ["functional", "cnn", "rnn", "lambda", "zoo"])
def test_tf_keras_loads_what_scopeflow_saved(graph, tmp_path, name):
    record = json.loads(open(os.path.join(DATA, "keras_saving", f"{name}.json")).read())
    several = name in ("functional", "zoo")
    x = [np.array(v, np.float32) for v in (record["x"] if several else [record["x"]])]
    y = [np.array(v, np.float32) for v in (record["y"] if name == "functional" else [record["y"]])]
    inputs = x if several else x[0]
    targets = y if name == "functional" else y[0]
    model = tf.keras.models.load_model(os.path.join(DATA, "keras_saving", f"{name}.h5"))
    model.fit(inputs, targets, batch_size=len(y[0]), verbose=0)
    path = str(tmp_path / f"{name}.h5")
    model.save(path)
    saved = model.predict(inputs)
    model.fit(inputs, targets, batch_size=len(y[0]), verbose=0)
    after = model.predict(inputs)
    done = subprocess.run(
        [
            TF_PYTHON,
            "-c",
            TF_SCRIPT,
            path,
            json.dumps([v.tolist() for v in x]),
            json.dumps([v.tolist() for v in y]),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    theirs = json.loads(done.stdout.strip().splitlines()[-1])
    ours = {"saved": saved, "after": after}
    for key in ("saved", "after"):
        mine = ours[key] if isinstance(ours[key], list) else [ours[key]]
        for a, b in zip(mine, theirs[key], strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
