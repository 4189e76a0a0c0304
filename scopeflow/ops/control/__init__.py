"""Control flow: ``tf.cond`` (``Switch``/``Merge``), grouping (``tf.group``,
``tf.no_op``) and printing from a running graph (``tf.Print``, ``tf.print``); run-time checks
(``tf.Assert`` and ``tf.debugging``: ``assertions.py``, ``checks.py``, ``numerics.py``),
Python functions as ops (``tf.py_func``: ``script.py``) and functions with their own gradient
(``tf.custom_gradient``: ``custom_gradient.py``)."""
