"""Which tensors ``Session.run`` may feed and which ops it may fetch: ``Graph.prevent_feeding``,
``prevent_fetching``, ``is_feedable`` and ``is_fetchable``, as TF1's. ``tf.cond`` marks the ops
of its branches (and its pivots) not fetchable; ``tf.while_loop`` marks the ops of its body and
condition not fetchable (its ``Enter`` ops excepted) and their outputs not feedable, as TF1's
control-flow contexts do. ``check_run`` is what a session asks before it plans a run.

>>> import scopeflow as tf
>>> with tf.Graph().as_default() as g:
...     x = tf.placeholder(tf.float32)
...     y = tf.cond(x > 0, lambda: x * 2.0, lambda: x)
>>> g.is_fetchable(y), g.is_fetchable(g.get_operation_by_name("cond/mul"))
(True, False)
"""

from __future__ import annotations


class FeedFetchRules:
    """The feed and fetch rules of a graph (a base of ``Graph``; kept in its stores)."""

    def prevent_feeding(self, tensor) -> None:
        """Marks ``tensor`` as one ``Session.run`` may not feed."""
        self._store("unfeedable", set).add(tensor)

    def is_feedable(self, tensor) -> bool:
        return tensor not in self._store("unfeedable", set)

    def prevent_fetching(self, op) -> None:
        """Marks ``op`` (and its outputs) as one ``Session.run`` may not fetch."""
        self._store("unfetchable", set).add(op)

    def is_fetchable(self, tensor_or_op) -> bool:
        op = getattr(tensor_or_op, "op", tensor_or_op)  # a Tensor's op, or the op itself
        return op not in self._store("unfetchable", set)


def check_run(graph, fetches, feeds) -> None:
    """Raises TF1's ``ValueError`` for a fetch or feed the graph's rules forbid."""
    unfetchable = graph._store("unfetchable", set)
    if unfetchable:
        for fetch in fetches:
            op = getattr(fetch, "op", fetch)
            if op in unfetchable:
                raise ValueError(
                    f"Operation {op.name} has been marked as not fetchable. Typically this "
                    "happens when it is defined in another function or code block (a tf.cond "
                    "branch, a tf.while_loop body). Use return values, explicit Python locals "
                    "or TensorFlow collections to access it."
                )
    unfeedable = graph._store("unfeedable", set)
    for tensor in feeds if unfeedable else ():
        if tensor in unfeedable:
            raise ValueError(f"Tensor {tensor.name} may not be fed.")
