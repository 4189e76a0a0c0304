"""Control flow: ``tf.cond`` (``Switch``/``Merge``), ``tf.while_loop`` and ``tf.TensorArray``,
loops over TensorArrays (``tf.map_fn``, ``tf.scan``, folds: ``functional.py``), many-way
branches (``tf.case``, ``tf.switch_case``: ``case.py``), grouping (``tf.group``, ``tf.tuple``,
``tf.no_op``) and printing from a running graph (``tf.Print``, ``tf.print``); run-time checks
(``tf.Assert`` and ``tf.debugging``: ``assertions.py``, ``checks.py``, ``numerics.py``),
Python functions as ops (``tf.py_func``: ``script.py``) and functions with their own gradient
(``tf.custom_gradient``: ``custom_gradient.py``)."""
