"""Signatures (parameter names, order and defaults) made TF's after tests/test_api_signatures.py
(``tensorflow.compat.v1`` 2.21 with tf_keras): ``str(inspect.signature(...))`` as TF's."""

import inspect

import pytest

import scopeflow as tf

SIGNATURES = {
    "keras.metrics.Mean": "(name='mean', dtype=None)",
    "keras.metrics.Sum": "(name='sum', dtype=None)",
    "keras.metrics.RootMeanSquaredError": "(name='root_mean_squared_error', dtype=None)",
    "keras.losses.KLDivergence": "(reduction='auto', name='kl_divergence')",
    "keras.callbacks.ProgbarLogger": "(count_mode='samples', stateful_metrics=None)",
    "Variable.to_proto": "(self, export_scope=None)",
    "Variable.from_proto": "(variable_def, import_scope=None)",
    "train.Saver.to_proto": "(self, export_scope=None)",
    "train.Saver.from_proto": "(saver_def, import_scope=None)",
}


@pytest.mark.parametrize("path", sorted(SIGNATURES))
def test_signature_is_tfs(path):
    obj = tf
    for part in path.split("."):
        obj = getattr(obj, part)
    assert str(inspect.signature(obj)) == SIGNATURES[path]


def test_subclasses_of_mean_and_sum_keep_their_default_names(graph):
    # TF 2.21: a subclass without __init__ is named by Mean's/Sum's default, not its class
    class MyMean(tf.keras.metrics.Mean):
        pass

    class MySum(tf.keras.metrics.Sum):
        pass

    assert (MyMean().name, MySum().name) == ("mean", "sum")
    names = [tf.keras.metrics.MeanSquaredError().name, tf.keras.metrics.Accuracy().name]
    assert names == ["mean_squared_error", "accuracy"]
