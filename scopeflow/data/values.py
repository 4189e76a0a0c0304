"""What a dataset op's kernel computes: a Python object that can iterate over the elements
(each a flat list of NumPy values, one per component), lazily.

A dataset op's kernel builds one of these from its inputs' values (a ``MapDataset`` from
its input dataset's object and its traced function); ``MakeIterator`` and
``OneShotIterator`` start an iteration (:meth:`DatasetValue.elements`), which the session
keeps until the iterator is initialized again. Errors found while iterating are
``tf.errors`` without an op; ``IteratorGetNext`` names itself in them.

As TF's iterators, a pass goes on after an element's error: the next ``get_next`` gives the
element after it. The transformations here are :class:`Steps` (not generators, which end at
their first error); a ``batch`` just after a ``map`` runs the map on the whole batch and
loses it on an error, as TF's default map-and-batch fusion does. The file readers are in
``file_values.py``.
"""

from __future__ import annotations

import collections
from collections.abc import Iterator

import numpy as np

from scopeflow.framework import errors
from scopeflow.framework.error_text import shape_str
from scopeflow.ops.random.philox import philox_words


class DatasetValue:
    """A dataset op's value: :meth:`elements` starts a new pass over its elements."""

    def elements(self) -> Iterator[list]:
        raise NotImplementedError


def _invalid(message: str) -> errors.InvalidArgumentError:
    return errors.InvalidArgumentError(None, None, message)


class Steps:
    """A pass whose next element ``step()`` computes (raising ``StopIteration`` at the end).
    An error raised for one element leaves the pass where it was, so the next ``get_next``
    goes on with the element after it, as TF's iterators do; a Python generator could not go
    on after raising."""

    __slots__ = ("step", "ended")

    def __init__(self, step):
        self.step, self.ended = step, False

    def __iter__(self):
        return self

    def __next__(self):
        if self.ended:
            raise StopIteration
        try:
            return self.step()
        except StopIteration:
            self.ended = True
            raise


class Released(DatasetValue):
    """``dataset``'s elements; ``release()`` once they have all been read (what a function
    was handed for them can go). A pass goes on after an element's error."""

    def __init__(self, dataset, release):
        self.dataset, self.release = dataset, release

    def elements(self):
        it = self.dataset.elements()

        def step():
            try:
                return next(it)
            except StopIteration:
                self.release()
                raise

        return Steps(step)


class TensorSlices(DatasetValue):
    def __init__(self, components):
        self.components = [np.asarray(c) for c in components]
        sizes = {c.shape[0] for c in self.components}
        if len(sizes) > 1:
            raise _invalid(
                "All components must have the same size in the 0th dimension, got "
                f"{[c.shape[0] for c in self.components]}"
            )

    def elements(self):
        count = self.components[0].shape[0]
        for i in range(count):
            yield [c[i] for c in self.components]


class Tensors(DatasetValue):
    def __init__(self, components):
        self.components = list(components)

    def elements(self):
        yield list(self.components)


class Range(DatasetValue):
    def __init__(self, start, stop, step):
        if step == 0:
            raise _invalid("step must be a non-zero integer.")
        self.range = range(int(start), int(stop), int(step))

    def elements(self):
        for i in self.range:
            yield [np.int64(i)]


class Zip(DatasetValue):
    def __init__(self, children):
        self.children = children

    def elements(self):
        passes = [c.elements() for c in self.children]

        def step():
            parts, error = [], None
            for it in passes:  # every input moves on, even after one's error, as TF's
                try:
                    parts.append(next(it))
                except errors.OpError as e:
                    error = error or e
            if error is not None:
                raise error
            return [v for part in parts for v in part]

        return Steps(step)


class Concatenate(DatasetValue):
    def __init__(self, first, second):
        self.first, self.second = first, second

    def elements(self):
        rest, current = [self.second], [self.first.elements()]

        def step():
            while True:
                try:
                    return next(current[0])
                except StopIteration:
                    if not rest:
                        raise
                    current[0] = rest.pop().elements()

        return Steps(step)


class Map(DatasetValue):
    def __init__(self, child, function):
        self.child, self.function = child, function

    def elements(self):
        function, it = self.function, self.child.elements()
        return Steps(lambda: function(next(it)))


class Filter(DatasetValue):
    def __init__(self, child, predicate):
        self.child, self.predicate = child, predicate

    def elements(self):
        predicate, it = self.predicate, self.child.elements()

        def step():
            while True:
                element = next(it)
                if predicate(element)[0]:
                    return element

        return Steps(step)


class FlatMap(DatasetValue):
    """``function`` maps an element to a :class:`DatasetValue`."""

    def __init__(self, child, function):
        self.child, self.function = child, function

    def elements(self):
        inputs, current = self.child.elements(), [None]

        def step():
            while True:
                if current[0] is None:
                    current[0] = self.function(next(inputs)).elements()
                try:
                    return next(current[0])
                except StopIteration:
                    current[0] = None

        return Steps(step)


class Interleave(DatasetValue):
    def __init__(self, child, function, cycle_length: int, block_length: int):
        if cycle_length <= 0 or block_length <= 0:
            raise _invalid("cycle_length and block_length must be greater than zero.")
        self.child, self.function = child, function
        self.cycle_length, self.block_length = cycle_length, block_length

    def elements(self):
        return _InterleavePass(self)


class _InterleavePass:
    """``Interleave``'s pass: rounds over up to ``cycle_length`` open datasets, ``block_length``
    elements from each; an element's error leaves the round where it was (the same dataset
    gives the next element), as TF's."""

    def __init__(self, d: Interleave):
        self.d, self.inputs = d, d.child.elements()
        self.cycle: list = []
        self.round: list = []
        self.position = self.taken = 0
        self.exhausted = False

    def __iter__(self):
        return self

    def _open(self) -> None:
        while not self.exhausted and len(self.cycle) < self.d.cycle_length:
            element = next(self.inputs, None)
            if element is None:
                self.exhausted = True
            else:
                self.cycle.append(self.d.function(element).elements())

    def __next__(self):
        while True:
            if self.position >= len(self.round):  # a new round, after opening datasets
                self._open()
                if not self.cycle:
                    raise StopIteration
                self.round, self.position, self.taken = list(self.cycle), 0, 0
            it = self.round[self.position]
            if self.taken >= self.d.block_length:
                self.position, self.taken = self.position + 1, 0
                continue
            element = next(it, None)
            if element is None:
                self.cycle.remove(it)
                self.position, self.taken = self.position + 1, 0
                continue
            self.taken += 1
            return element


def _batch_error(first, other) -> errors.InvalidArgumentError:
    return _invalid(
        "Cannot add tensor to the batch: number of elements does not match. Shapes are: "
        f"[tensor]: {shape_str(np.shape(other))}, [batch]: {shape_str(np.shape(first))}"
    )


def as_array(value) -> np.ndarray:
    """``value`` as an array; a string stays whole (NumPy's bytes dtype drops trailing NULs)."""
    if isinstance(value, (bytes, str)):
        return np.asarray(value, dtype=object)
    return np.asarray(value)


def _stack(batch: list) -> list:
    out = []
    for i in range(len(batch[0])):
        parts = [element[i] for element in batch]
        first = np.shape(parts[0])
        for part in parts:
            if np.shape(part) != first:
                raise _batch_error(parts[0], part)
        out.append(np.stack([as_array(p) for p in parts]))
    return out


def _batches(child, size: int, drop_remainder: bool, make) -> Steps:
    """Batches of ``size`` elements of ``child``, each made by ``make``; an element's error
    fails its batch (the elements taken so far are lost), and the next batch goes on after
    it. A ``Map`` just below is fused, as TF's default optimizations fuse ``map`` and
    ``batch``: its function runs on the whole batch's elements, and an error fails the batch
    after they are all taken."""
    fused = type(child) is Map
    it = child.child.elements() if fused else child.elements()

    def step():
        batch: list = []
        while len(batch) < size:
            try:
                batch.append(next(it))
            except StopIteration:
                break
        if not batch or (drop_remainder and len(batch) < size):
            raise StopIteration
        if fused:
            batch = _mapped(child.function, batch)
        return make(batch)

    return Steps(step)


def _mapped(function, batch: list) -> list:
    out, error = [], None
    for element in batch:
        try:
            out.append(function(element))
        except errors.OpError as e:
            error = error or e
    if error is not None:
        raise error
    return out


class Batch(DatasetValue):
    def __init__(self, child, size: int, drop_remainder: bool):
        if size <= 0:
            raise _invalid("Batch size must be greater than zero.")
        self.child, self.size, self.drop_remainder = child, size, drop_remainder

    def elements(self):
        return _batches(self.child, self.size, self.drop_remainder, _stack)


class PaddedBatch(DatasetValue):
    """``shapes``: per component, the padded shape (``-1``: the batch's longest)."""

    def __init__(self, child, size: int, shapes: list, values: list, drop_remainder: bool):
        if size <= 0:
            raise _invalid("Batch size must be greater than zero.")
        self.child, self.size, self.drop_remainder = child, size, drop_remainder
        self.shapes = [[int(d) for d in np.reshape(s, [-1])] for s in shapes]
        self.values = values

    def elements(self):
        def make(batch: list) -> list:
            return [self._pad(i, [as_array(e[i]) for e in batch]) for i in range(len(batch[0]))]

        return _batches(self.child, self.size, self.drop_remainder, make)

    def _pad(self, i: int, parts: list) -> np.ndarray:
        wanted = self.shapes[i]
        if any(p.ndim != len(wanted) for p in parts):
            raise _invalid(
                f"All elements in a batch must have the same rank as the padded shape for "
                f"component{i}: expected rank {len(wanted)} but got element with rank "
                f"{next(p.ndim for p in parts if p.ndim != len(wanted))}"
            )
        shape = [
            max((p.shape[d] for p in parts), default=0) if size < 0 else size
            for d, size in enumerate(wanted)
        ]
        value = np.asarray(self.values[i])
        out = np.full([len(parts), *shape], value, dtype=parts[0].dtype)
        for n, part in enumerate(parts):
            if any(have > want for have, want in zip(part.shape, shape, strict=True)):
                raise _invalid(
                    "Attempted to pad to a smaller size than the input element: the element "
                    f"has shape {list(part.shape)}, the padded shape is {shape}."
                )
            if part.ndim == 0:
                out[n] = part[()]  # an object cell takes the value, not the 0-d array
            else:
                out[(n, *(slice(0, d) for d in part.shape))] = part
        return out


class Shuffle(DatasetValue):
    """TF's shuffle buffer: filled to ``buffer_size`` elements before each pick, the pick
    ``word % len(buffer)`` of TF's Philox stream, the front element moved into the picked
    slot. With ``reshuffle`` false every pass draws from the stream of (seed, seed2) afresh;
    with it true pass ``e`` draws from the stream whose seeds are words ``2e`` and ``2e + 1``
    of that one (TF's RandomSeedGenerator), so seeded orders are TF's, pass after pass."""

    def __init__(self, child, buffer_size: int, seed: int, seed2: int, reshuffle: bool):
        if buffer_size <= 0:
            raise _invalid("buffer_size must be greater than zero or UNKNOWN_CARDINALITY")
        self.child, self.buffer_size, self.reshuffle = child, buffer_size, reshuffle
        if seed == 0 and seed2 == 0:
            seed, seed2 = (int(s) for s in np.random.SeedSequence().generate_state(2))
        self.seeds = (int(seed), int(seed2))
        self.passes = _Words(*self.seeds) if reshuffle else None

    def elements(self):
        if self.passes is None:
            words = _Words(*self.seeds)
        else:
            words = _Words(self.passes.next(), self.passes.next())
        it, buffer, ended = self.child.elements(), collections.deque(), [False]

        def step():
            while not ended[0] and len(buffer) < self.buffer_size:
                try:  # an element's error leaves the buffer short: the next call fills it
                    buffer.append(next(it))
                except StopIteration:
                    ended[0] = True
            if not buffer:
                raise StopIteration
            i = words.next() % len(buffer)
            element = buffer[i]
            buffer[i] = buffer[0]
            buffer.popleft()
            return element

        return Steps(step)


class _Words:
    """TF's ``SingleSampleAdapter`` over ``PhiloxRandom(seed, seed2)``: 32-bit words one
    after another (key ``seed``, counter ``seed2 << 64``), drawn 256 at a time."""

    def __init__(self, seed: int, seed2: int):
        self.key, self.counter = seed & (2**64 - 1), (seed2 & (2**64 - 1)) << 64
        self.block, self.used = np.zeros(0, np.uint32), 0

    def next(self) -> int:
        if self.used == len(self.block):
            self.block = philox_words(self.key, self.counter, 64).reshape(-1)
            self.counter, self.used = self.counter + 64, 0
        self.used += 1
        return int(self.block[self.used - 1])


class Repeat(DatasetValue):
    def __init__(self, child, count: int):
        self.child, self.count = child, count

    def elements(self):
        state = {"left": self.count, "pass": None, "empty": True}

        def step():
            while True:
                if state["pass"] is None:
                    if state["left"] == 0:
                        raise StopIteration
                    state["left"] -= 1 if state["left"] > 0 else 0
                    state["pass"], state["empty"] = self.child.elements(), True
                try:
                    element = next(state["pass"])
                except StopIteration:
                    state["pass"] = None
                    if state["empty"]:  # an empty dataset repeated forever is empty, as TF's
                        raise
                    continue
                except errors.OpError:
                    state["empty"] = False
                    raise
                state["empty"] = False
                return element

        return Steps(step)


class Take(DatasetValue):
    def __init__(self, child, count: int):
        self.child, self.count = child, count

    def elements(self):
        it, taken = self.child.elements(), [0]

        def step():
            if 0 <= self.count <= taken[0]:
                raise StopIteration
            element = next(it)  # an element's error does not count, as TF's
            taken[0] += 1
            return element

        return Steps(step)


class Skip(DatasetValue):
    def __init__(self, child, count: int):
        self.child, self.count = child, count

    def elements(self):
        it, skipped = self.child.elements(), [0]

        def step():
            if self.count < 0:
                raise StopIteration
            while skipped[0] < self.count:
                next(it)
                skipped[0] += 1
            return next(it)

        return Steps(step)


class Prefetch(DatasetValue):
    """Elements are computed when asked for: nothing runs ahead (TF prefetches on threads)."""

    def __init__(self, child):
        self.child = child

    def elements(self):
        return self.child.elements()


class Cache(DatasetValue):
    """The first complete pass is kept in memory; later passes replay it. An element's error
    is not kept: the pass goes on, and the replays hold the other elements, as TF's."""

    def __init__(self, child):
        self.child = child
        self.cached: list | None = None

    def elements(self):
        if self.cached is not None:
            return iter(self.cached)
        it, seen = self.child.elements(), []

        def step():
            try:
                element = next(it)
            except StopIteration:
                self.cached = seen
                raise
            seen.append(element)
            return element

        return Steps(step)


class Generator(DatasetValue):
    """Elements of a Python generator, converted and checked against the dataset's specs."""

    def __init__(self, generator, specs: list, pack, flatten):
        self.generator, self.specs, self.pack, self.flatten = generator, specs, pack, flatten

    def elements(self):
        for value in self.generator():
            yield self._check(value)

    def _check(self, value) -> list:
        try:
            flat = self.flatten(value)
        except (TypeError, ValueError) as e:
            raise _invalid(
                "TypeError: `generator` yielded an element that did not match the expected "
                f"structure. The expected structure was {self.pack}, but the yielded element "
                f"was {value!r}. ({e})"
            ) from None
        out = []
        for item, spec in zip(flat, self.specs, strict=True):
            if spec.dtype.name == "string":
                array = np.asarray(item.encode() if isinstance(item, str) else item, dtype=object)
            else:
                array = np.asarray(item, dtype=spec.dtype.as_numpy_dtype)
            if not spec.shape.is_compatible_with(array.shape):
                raise _invalid(
                    "`generator` yielded an element of shape "
                    f"{tuple(array.shape)} where an element of shape {spec.shape} was expected."
                )
            out.append(array)
        return out
