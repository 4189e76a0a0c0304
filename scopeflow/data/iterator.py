"""``tf.data.Iterator``: an iterator op (``OneShotIterator`` or ``IteratorV2``), the op that
starts a pass over a dataset (``MakeIterator``, its ``initializer``), and ``get_next()``,
whose ``IteratorGetNext`` op gives the next element each time it runs.

>>> import numpy as np
>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     x = tf.placeholder(tf.float32, [None])
...     it = tf.data.Dataset.from_tensor_slices(x).make_initializable_iterator()
...     value = it.get_next()
...     with tf.Session() as sess:
...         sess.run(it.initializer, {x: [1.0, 2.0]})
...         print(sess.run(value), sess.run(value))
...         try:
...             sess.run(value)
...         except tf.errors.OutOfRangeError:
...             print("end")
1.0 2.0
end
"""

from __future__ import annotations

from scopeflow.data import dataset_ops, function, optional, structure
from scopeflow.data.element_specs import element_spec
from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.registry import get_op_def
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.core.infer import graph_for
from scopeflow.ops.random.sampling import get_seed

_ = dataset_ops  # registers the op types


def _attrs(specs) -> dict:
    flat = structure.flatten(specs)
    return {
        "output_types": [s.component_dtype for s in flat],
        "output_shapes": [s.component_shape for s in flat],
    }


class Iterator:
    """An iterator over datasets whose elements have the structure ``specs``."""

    def __init__(self, resource: Tensor, initializer, specs):
        self._iterator_resource = resource
        self._initializer = initializer
        self._specs = specs
        self._string_handle = resource.graph.create_op(
            "IteratorToStringHandle", [resource], {}, name="IteratorToStringHandle"
        ).outputs[0]

    @staticmethod
    @undo.atomic
    def from_structure(output_types, output_shapes=None, shared_name=None, output_classes=None):
        """An iterator not bound to a dataset: :meth:`make_initializer` binds it to any
        dataset with elements of these types and compatible shapes (reinitializable)."""
        specs = structure.specs_from(output_types, output_shapes)
        return Iterator(_iterator_v2(specs, shared_name), None, specs)

    @staticmethod
    @undo.atomic
    def from_string_handle(string_handle, output_types, output_shapes=None, output_classes=None):
        """A feedable iterator: each run uses the iterator whose ``string_handle()`` value
        ``string_handle`` (a string tensor, e.g. a placeholder) holds.

        >>> import scopeflow as tf
        >>> with tf.Graph().as_default():
        ...     train = tf.data.Dataset.range(3).make_one_shot_iterator()
        ...     test = tf.data.Dataset.range(10, 13).make_one_shot_iterator()
        ...     handle = tf.placeholder(tf.string, [])
        ...     it = tf.data.Iterator.from_string_handle(handle, tf.int64, [])
        ...     value = it.get_next()
        ...     with tf.Session() as sess:
        ...         to_train, to_test = sess.run([train.string_handle(), test.string_handle()])
        ...         print(sess.run(value, {handle: to_train}), sess.run(value, {handle: to_test}))
        0 10
        """
        specs = structure.specs_from(output_types, output_shapes)
        handle = convert_to_tensor(string_handle, dtype=dtypes.string)
        graph = get_default_graph()
        op = graph.create_op(
            "IteratorFromStringHandleV2", [handle], _attrs(specs), name="IteratorFromStringHandleV2"
        )
        return Iterator(op.outputs[0], None, specs)

    @property
    def initializer(self):
        if self._initializer is None:
            raise ValueError("Iterator does not have an initializer.")
        return self._initializer

    @property
    def output_types(self):
        return structure.types(self._specs)

    @property
    def output_shapes(self):
        return structure.shapes(self._specs)

    @property
    def output_classes(self):
        return structure.classes(self._specs)

    @undo.atomic
    def make_initializer(self, dataset, name=None):
        """An op starting a pass of this iterator over ``dataset``."""
        mine, theirs = self._specs, dataset._specs
        if not structure.same_structure(mine, theirs):
            raise TypeError(
                f"Expected output types {self.output_types} but got dataset with output types "
                f"{dataset.output_types}."
            )
        if structure.types(mine) != structure.types(theirs):
            raise TypeError(
                f"Expected output types {structure.types(mine)!r} but got dataset with "
                f"output types {structure.types(theirs)!r}."
            )
        if not structure.compatible(mine, theirs):
            raise TypeError(
                f"Expected output shapes compatible with {structure.shapes(mine)!r} but "
                f"got dataset with output shapes {structure.shapes(theirs)!r}."
            )
        graph = get_default_graph()
        inputs = [dataset._variant_tensor, self._iterator_resource]
        return graph.create_op("MakeIterator", inputs, {}, name=name or "make_initializer")

    @undo.atomic
    def get_next(self, name=None):
        """The next element: a structure of tensors that gives a new element each run."""
        graph = graph_for([self._iterator_resource])  # the iterator's graph, as in TF1
        op = graph.create_op(
            "IteratorGetNext",
            [self._iterator_resource],
            _attrs(self._specs),
            name=name or "IteratorGetNext",
        )
        return structure.from_components(self._specs, list(op.outputs))

    def get_next_as_optional(self):
        """A ``tf.experimental.Optional`` holding the next element, empty at the end
        (instead of ``OutOfRangeError``)."""
        return optional.get_next_as_optional(self)

    @property
    def element_spec(self):
        """A ``tf.TensorSpec`` per component, in the element's structure."""
        return element_spec(self._specs)

    def string_handle(self, name=None) -> Tensor:
        """A string naming this iterator, for ``Iterator.from_string_handle``."""
        if name is None:
            return self._string_handle
        return (
            get_default_graph()
            .create_op("IteratorToStringHandle", [self._iterator_resource], {}, name=name)
            .outputs[0]
        )


def _iterator_v2(specs, shared_name) -> Tensor:
    graph = get_default_graph()
    attrs = {"shared_name": shared_name or "", "container": "", **_attrs(specs)}
    return graph.create_op("IteratorV2", [], attrs, name="IteratorV2").outputs[0]


def _check_same_graph(variant: Tensor) -> None:
    graph = get_default_graph()
    if variant.graph is not graph:
        raise ValueError(
            f"The graph {graph!r} of the iterator is different from the graph "
            f"{variant.graph!r} the dataset: {variant!r} was created in. Make sure that the "
            "dataset is created in the same graph as the iterator."
        )


@undo.atomic
def make_initializable(variant: Tensor, specs, shared_name=None) -> Iterator:
    _check_same_graph(variant)
    resource = _iterator_v2(specs, shared_name)
    graph = get_default_graph()
    initializer = graph.create_op("MakeIterator", [variant, resource], {}, name="MakeIterator")
    return Iterator(resource, initializer, specs)


def _check_capturable(variant: Tensor) -> None:
    """A one-shot iterator's dataset must be computable without feeds or variables."""
    seen, stack = set(), [variant.op]
    while stack:
        op = stack.pop()
        if op in seen:
            continue
        seen.add(op)
        op_def = get_op_def(op.type)
        if op_def.is_placeholder:
            raise ValueError(
                f"Cannot capture a placeholder (name:{op.name}, type:{op.type}) by value."
            )
        if op_def.is_variable:
            raise ValueError(
                "Failed to create a one-shot iterator for a dataset. "
                "`Dataset.make_one_shot_iterator()` does not support datasets that capture "
                f"stateful objects, such as a `Variable` ({op.name}). In these cases, use "
                "`Dataset.make_initializable_iterator()`."
            )
        stack.extend(t.op for t in op.inputs)
        stack.extend(op.control_inputs)


@undo.atomic
def make_one_shot(variant: Tensor, specs) -> Iterator:
    _check_same_graph(variant)
    _check_capturable(variant)
    get_seed(None)  # TF draws the factory's seeds here: the next unseeded op's seed moves on
    graph = get_default_graph()
    token = function.register(graph, variant)
    attrs = {"dataset_factory": token, "shared_name": "", "container": "", **_attrs(specs)}
    resource = graph.create_op("OneShotIterator", [], attrs, name="OneShotIterator").outputs[0]
    return Iterator(resource, None, specs)
