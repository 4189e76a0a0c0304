"""Control flow: ``tf.cond`` (``Switch``/``Merge``), grouping (``tf.group``,
``tf.no_op``) and printing from a running graph (``tf.Print``, ``tf.print``)."""
