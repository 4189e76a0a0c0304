"""Control flow: ``tf.cond`` (``Switch``/``Merge``), grouping (``tf.group``,
``tf.no_op``) and printing from a running graph (``tf.Print``, ``tf.print``); run-time checks
(``tf.Assert`` and ``tf.debugging``: ``assertions.py``, ``checks.py``, ``numerics.py``) and
Python functions as ops (``tf.py_func``: ``script.py``)."""
