"""``tf.estimator.inputs``: ``numpy_input_fn`` and ``pandas_input_fn``, input functions that
batch in-memory arrays (with TF1's arguments, checks and error wording). TF1 feeds them
through queues and queue runners; here they are a ``tf.data`` pipeline (slices, shuffle,
repeat, batch) read by a one-shot iterator: the same batches in the same order when
``shuffle=False``."""

from __future__ import annotations

import collections

import numpy as np

from scopeflow.data.dataset import Dataset

_TARGET_KEY = "__target_key__"


def _features_dict(x) -> collections.OrderedDict:
    if isinstance(x, dict):
        if not x:
            raise ValueError("x cannot be an empty dict")
        return collections.OrderedDict(sorted(x.items(), key=lambda t: t[0]))
    if isinstance(x, np.ndarray):
        if x.size == 0:
            raise ValueError("x cannot be an empty array")
        return collections.OrderedDict({"__direct_np_input__": x})
    raise TypeError(f"x must be a dict or array; got {type(x).__name__}")


def numpy_input_fn(
    x, y=None, batch_size=128, num_epochs=1, shuffle=None, queue_capacity=1000, num_threads=1
):
    """An ``input_fn`` returning batches of ``x`` (an array, or a dict of arrays: the
    features) and ``y`` (an array or a dict of arrays: the labels; ``None``: features
    only), ``num_epochs`` times over (``None``: forever, full batches), shuffled in a
    ``queue_capacity`` buffer when ``shuffle``.

    Raises:
        ValueError: ``shuffle`` is not a bool; (when called) empty inputs, keys in both ``x``
            and ``y``, or arrays of different lengths.
        TypeError: ``x`` is neither a dict nor an array.

    >>> import numpy as np, scopeflow as tf
    >>> input_fn = tf.estimator.inputs.numpy_input_fn(
    ...     {"a": np.arange(5)}, np.arange(5) * 10, batch_size=2, shuffle=False)
    >>> with tf.Graph().as_default():
    ...     features, labels = input_fn()
    ...     with tf.Session() as sess:
    ...         print(sess.run([features, labels]), sess.run(labels), sess.run(labels))
    [{'a': array([0, 1])}, array([ 0, 10])] [20 30] [40]
    """
    if not isinstance(shuffle, bool):
        raise ValueError(
            "shuffle must be provided and explicitly set as boolean (it is recommended to set "
            f"it as True for training); got {shuffle}"
        )
    del num_threads  # one reader keeps TF1's order; there is no queue to fill

    def input_fn():
        data = _features_dict(x)
        feature_keys = list(data)
        if y is None:
            target_keys = None
        elif isinstance(y, dict):
            if not y:
                raise ValueError("y cannot be empty dict, use None instead.")
            ordered_y = collections.OrderedDict(sorted(y.items(), key=lambda t: t[0]))
            target_keys = list(ordered_y)
            duplicates = set(feature_keys) & set(target_keys)
            if duplicates:
                raise ValueError(
                    f"{len(duplicates)} duplicate keys are found in both x and y: {duplicates}"
                )
            data.update(ordered_y)
        else:
            target_keys = _TARGET_KEY
            while target_keys in data:
                target_keys += "_n"
            data[target_keys] = y
        if len({np.shape(v)[0] for v in data.values()}) != 1:
            x_shapes = {k: np.shape(data[k]) for k in feature_keys}
            if target_keys is None:
                y_shapes = None
            elif isinstance(target_keys, str):
                y_shapes = np.shape(y)
            else:
                y_shapes = {k: np.shape(data[k]) for k in target_keys}
            raise ValueError(
                "Length of tensors in x and y is mismatched. All elements in x and y must have "
                f"the same length.\nShapes in x: {x_shapes}\nShapes in y: {y_shapes}\n"
            )
        dataset = Dataset.from_tensor_slices({k: np.asarray(v) for k, v in data.items()})
        if shuffle:
            dataset = dataset.shuffle(queue_capacity)
        dataset = dataset.repeat(num_epochs).batch(batch_size, drop_remainder=num_epochs is None)
        batch = dataset.make_one_shot_iterator().get_next()
        if isinstance(x, np.ndarray):
            features = batch["__direct_np_input__"]
        else:
            features = {k: batch[k] for k in feature_keys}
        if target_keys is None:
            return features
        if isinstance(target_keys, str):
            return features, batch[target_keys]
        return features, {k: batch[k] for k in target_keys}

    return input_fn


def pandas_input_fn(
    x,
    y=None,
    batch_size=128,
    num_epochs=1,
    shuffle=None,
    queue_capacity=1000,
    num_threads=1,
    target_column="target",
):
    """``numpy_input_fn`` over a pandas ``DataFrame``'s columns (features) and a ``Series``
    (labels), which must share the DataFrame's index.

    Raises:
        ValueError: ``shuffle`` is not a bool, ``target_column`` is a column of ``x``, or the
            indexes differ.
    """
    if not isinstance(shuffle, bool):
        raise ValueError(
            "shuffle must be provided and explicitly set as boolean (it is recommended to set "
            f"it as True for training); got {shuffle}"
        )
    features = {str(column): x[column].values for column in x.columns}
    labels = None
    if y is not None:
        if target_column in x:
            raise ValueError(
                f"Cannot use name {target_column} for target column: DataFrame already has a "
                "column with that name: {}".format(list(x.columns))
            )
        if not np.array_equal(np.asarray(x.index), np.asarray(y.index)):
            raise ValueError(
                f"Index for x and y are mismatched.\nIndex for x: {x.index}\n"
                f"Index for y: {y.index}\n"
            )
        labels = y.values
    return numpy_input_fn(
        features, labels, batch_size, num_epochs, shuffle, queue_capacity, num_threads
    )
