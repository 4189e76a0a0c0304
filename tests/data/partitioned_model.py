"""The partitioned variables that ``make_partitioned_checkpoint.py`` saves with TensorFlow and
``tests/variables/test_partitioned_saver.py`` saves with scopeflow: values that say where each
element lies, offsets and lengths past OrderedCode's one-byte range (64), several dtypes."""

import numpy as np

SHAPES = {
    "emb": ([10, 4], "float32", 3, 0),
    "big": ([150, 2], "float64", 2, 0),
    "cols": ([3, 130], "int64", 3, 1),
    "plain": ([2, 3], "float32", None, 0),
}


def value(name: str) -> np.ndarray:
    shape, dtype, _, _ = SHAPES[name]
    return (np.arange(np.prod(shape)).reshape(shape) * 0.5 + len(name)).astype(dtype)


def build(tf) -> dict:
    """The variables (``PartitionedVariable``s and one plain variable), by name."""
    made = {}
    for name, (shape, dtype, parts, axis) in SHAPES.items():
        partitioner = tf.fixed_size_partitioner(parts, axis=axis) if parts else None
        made[name] = tf.get_variable(
            name,
            shape,
            dtype=dtype,
            initializer=tf.constant_initializer(0),
            partitioner=partitioner,
        )
        assign = made[name].assign(value(name))
        tf.add_to_collection("assigns", assign if parts is None else tf.group(*assign))
    return made
