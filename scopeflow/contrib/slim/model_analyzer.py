"""``slim.model_analyzer``: the sizes of a model's variables and of its ops' outputs, printed
as tf_slim prints them (DCGAN-tensorflow's ``show_all_variables`` calls ``analyze_vars``).

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     w = tf.get_variable("w", [3, 4])
...     sizes = tf.contrib.slim.model_analyzer.analyze_vars([w], print_info=True)
---------
Variables: name (type shape) [size]
---------
w:0 (float32_ref 3x4) [12, bytes: 48]
Total size of variables: 12
Total bytes of variables: 48
>>> sizes
(12, 48)
"""

from __future__ import annotations


def tensor_description(var) -> str:
    """``(dtype shape)``: ``(float32_ref 3x4)``, ``?`` for an unknown dimension."""
    dims = "x".join(str(d) for d in var.get_shape())
    return f"({var.dtype.name} {dims})"


def _elements(tensor) -> int:
    """The element count of ``tensor``'s static shape, 0 when it is not fully known."""
    return tensor.get_shape().num_elements() or 0


def analyze_ops(graph, print_info: bool = False) -> int:
    """The total element count of the outputs of ``graph``'s ops (unknown shapes count 0),
    each op's printed when ``print_info``."""
    if print_info:
        print("---------\nOperations: name -> (type shapes) [size]\n---------")
    total = 0
    for op in graph.get_operations():
        size = sum(_elements(output) for output in op.outputs)
        if print_info:
            shapes = [tensor_description(t) for t in op.outputs if t.get_shape().ndims is not None]
            print(op.name, "\t->", ", ".join(shapes), f"[{size}]")
        total += size
    return total


def analyze_vars(variables, print_info: bool = False) -> tuple[int, int]:
    """``(total elements, total bytes)`` of ``variables``, each one's printed when
    ``print_info``."""
    if print_info:
        print("---------\nVariables: name (type shape) [size]\n---------")
    total_size = total_bytes = 0
    for var in variables:
        size = _elements(var)
        nbytes = size * var.dtype.size
        total_size, total_bytes = total_size + size, total_bytes + nbytes
        if print_info:
            print(var.name, tensor_description(var), f"[{size}, bytes: {nbytes}]")
    if print_info:
        print(f"Total size of variables: {total_size}")
        print(f"Total bytes of variables: {total_bytes}")
    return total_size, total_bytes
