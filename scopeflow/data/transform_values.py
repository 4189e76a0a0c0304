"""What the kernels of ``transform_ops.py`` compute: :class:`values.DatasetValue` objects for
``shard``, ``unbatch``, ``take_while``, ``scan``, ``unique``, ``ignore_errors``,
``choose_from_datasets`` (``DirectedInterleaveDataset``), ``group_by_window`` and the seeds of
``RandomDataset``, and the passes ``reduce`` and ``get_single_element`` make. Each pass is
lazy, as the other dataset values: elements are computed when an iterator asks for them.
"""

from __future__ import annotations

import itertools
import types

import numpy as np

from scopeflow.data import ragged_variant, values
from scopeflow.framework import errors
from scopeflow.ops.random.philox import philox_words

_invalid = values._invalid


class Shard(values.DatasetValue):
    """Every ``num_shards``-th element, from the ``index``-th."""

    def __init__(self, child, num_shards: int, index: int):
        if num_shards <= 0:
            raise _invalid(
                f"Number of shards must be greater than zero (currently num_shards = {num_shards})."
            )
        if not 0 <= index < num_shards:
            raise _invalid(
                f"Index must be between 0 and {num_shards - 1} (currently index = {index})."
            )
        self.child, self.num_shards, self.index = child, num_shards, index

    def elements(self):
        return itertools.islice(self.child.elements(), self.index, None, self.num_shards)


class Unbatch(values.DatasetValue):
    """The slices of each element along its first dimension (the same length in every
    component)."""

    def __init__(self, child):
        self.child = child

    def elements(self):
        it, rows = self.child.elements(), []

        def step():
            while not rows:
                arrays = [ragged_variant.as_rows(c) for c in next(it)]
                for i, a in enumerate(arrays):
                    if a.shape[0] != arrays[0].shape[0]:
                        raise _invalid(
                            "Input element must have the same batch size in each component. "
                            f"Component 0 had size {arrays[0].shape[0]} but component {i} had "
                            f"size {a.shape[0]}."
                        )
                rows.extend([a[i] for a in arrays] for i in range(arrays[0].shape[0]))
            return rows.pop(0)

        return values.Steps(step)


class TakeWhile(values.DatasetValue):
    def __init__(self, child, predicate):
        self.child, self.predicate = child, predicate

    def elements(self):
        it = self.child.elements()

        def step():
            element = next(it)
            if not self.predicate(element)[0]:
                raise StopIteration
            return element

        return values.Steps(step)


class Scan(values.DatasetValue):
    """``function(state + element)`` gives ``new_state + output``: the first ``len(state)``
    results are the next state, the rest the element yielded. Each pass starts from
    ``initial_state``."""

    def __init__(self, child, initial_state: list, function):
        self.child, self.initial_state, self.function = child, list(initial_state), function

    def elements(self):
        it, state, n = self.child.elements(), [self.initial_state], len(self.initial_state)

        def step():  # an element's error leaves the state as it was
            results = self.function([*state[0], *next(it)])
            state[0] = results[:n]
            return results[n:]

        return values.Steps(step)


def reduce(dataset, initial_state: list, function) -> list:
    """The state after ``function(state + element)`` has taken in every element."""
    state = list(initial_state)
    for element in dataset.elements():
        state = function([*state, *element])
    return state


def single_element(dataset) -> list:
    it = dataset.elements()
    element = next(it, None)
    if element is None:
        raise _invalid("Dataset was empty.")
    if next(it, None) is not None:
        raise _invalid("Dataset had more than one element.")
    return element


class Unique(values.DatasetValue):
    """The first occurrence of each value, in order."""

    def __init__(self, child):
        self.child = child

    def elements(self):
        it, seen = self.child.elements(), set()

        def step():
            while True:
                element = next(it)
                key = np.asarray(element[0]).item()
                if key not in seen:
                    seen.add(key)
                    return element

        return values.Steps(step)


class IgnoreErrors(values.DatasetValue):
    """The elements computed without an error, as TF: a pass that goes on after an error
    (``values.Steps``: ``map``, ``filter``, ``batch``, ``shuffle``, ``interleave``...,
    ``CsvDataset``'s reader) skips the failed element; one that cannot (a Python generator:
    ``from_generator``, the other file readers, ``scan``...) ends at its first error."""

    def __init__(self, child):
        self.child = child

    def elements(self):
        child = self.child
        if type(child) is values.Map:
            for element in child.child.elements():
                try:
                    yield child.function(element)
                except errors.OpError:
                    continue
            return
        it = child.elements()
        resumable = not isinstance(it, types.GeneratorType)  # values.Steps, CSV's reader
        while True:
            try:
                element = next(it)
            except StopIteration:
                return
            except errors.OpError:
                if resumable:
                    continue
                return
            yield element


class DirectedInterleave(values.DatasetValue):
    """The next element of the dataset each element of ``selector`` names; a dataset that
    has ended is skipped (or ends the pass when ``stop_on_empty``)."""

    def __init__(self, selector, children: list, stop_on_empty: bool):
        self.selector, self.children, self.stop_on_empty = selector, children, stop_on_empty

    def elements(self):
        passes = [c.elements() for c in self.children]
        ended = [False] * len(passes)
        selector = self.selector.elements()

        def step():
            while True:
                i = int(next(selector)[0])
                if not 0 <= i < len(passes):
                    raise _invalid(f"Selector index out of range: {i} >= {len(passes)}")
                if ended[i]:
                    continue
                element = next(passes[i], None)  # an error: this choice's, the next goes on
                if element is not None:
                    return element
                if self.stop_on_empty:
                    raise StopIteration
                ended[i] = True
                if all(ended):
                    raise StopIteration

        return values.Steps(step)


class RandomSeeds(values.DatasetValue):
    """``RandomDataset``: endless random int64 scalars in ``[0, 2**32)``, the same sequence on
    each pass for the same ``seed``/``seed2``: TF's, the 32-bit words of Philox keyed by
    ``seed`` from counter ``seed2 << 64``, one word per element."""

    _BLOCK = 256  # counters (four words each) drawn at a time

    def __init__(self, seed: int, seed2: int):
        if seed == 0 and seed2 == 0:
            seed, seed2 = (int(s) for s in np.random.SeedSequence().generate_state(2))
        self.seeds = [int(seed), int(seed2)]

    def elements(self):
        key = self.seeds[0] & 0xFFFFFFFFFFFFFFFF
        counter = (self.seeds[1] & 0xFFFFFFFFFFFFFFFF) << 64
        while True:
            for word in philox_words(key, counter, self._BLOCK).reshape(-1).tolist():
                yield [np.int64(word)]
            counter += self._BLOCK


class Window(values.DatasetValue):
    """The elements of one window of ``group_by_window``."""

    def __init__(self, elements: list):
        self.list = elements

    def elements(self):
        return iter(self.list)


class Windows(values.DatasetValue):
    """``WindowDataset``: per window, one :class:`Window` per component, of up to ``size``
    elements ``stride`` apart; a window starts every ``shift`` elements."""

    def __init__(self, child, size: int, shift: int, stride: int, drop_remainder: bool):
        for what, value in (("size", size), ("shift", shift), ("stride", stride)):
            if value <= 0:
                raise _invalid(f"Window {what} must be greater than zero.")
        self.child, self.size, self.shift, self.stride = child, size, shift, stride
        self.drop_remainder = drop_remainder

    def elements(self):
        it = self.child.elements()
        buffer: list = []  # the elements from the current window's start on (or errors)
        ended = [False]
        span = (self.size - 1) * self.stride + 1

        def pull():
            try:
                return next(it)
            except StopIteration:
                ended[0] = True
            except errors.OpError as e:  # kept in its place: its windows fail, as TF's
                return e
            return None

        def step():
            while not ended[0] and len(buffer) < span:
                element = pull()
                if element is not None:
                    buffer.append(element)
            if not buffer or (self.drop_remainder and len(buffer) < span):
                raise StopIteration
            window = buffer[: span : self.stride]
            skip = self.shift - len(buffer)
            del buffer[: self.shift]
            while skip > 0 and not ended[0]:  # a shift past the buffered elements
                pull()
                skip -= 1
            failed = next((e for e in window if isinstance(e, errors.OpError)), None)
            if failed is not None:
                raise failed
            return [Window([[e[c]] for e in window]) for c in range(len(window[0]))]

        return values.Steps(step)


def window_count(n: int, d: Windows) -> int:
    """The number of windows of ``n`` input elements."""
    if d.drop_remainder:
        return max(0, (n - (d.size - 1) * d.stride - 1) // d.shift + 1)
    return (n + d.shift - 1) // d.shift


class GroupByWindow(values.DatasetValue):
    """Elements grouped by ``key_fn``; a group holding ``window_size_fn(key)`` elements (or
    the rest of a group when the input ends, in key order) becomes ``reduce_fn(key,
    window)``'s dataset, whose elements are yielded."""

    def __init__(self, child, key_fn, reduce_fn, window_size_fn):
        self.child, self.key_fn = child, key_fn
        self.reduce_fn, self.window_size_fn = reduce_fn, window_size_fn

    def elements(self):
        it = self.child.elements()
        groups: dict[int, list] = {}
        sizes: dict[int, int] = {}
        state = {"out": None, "rest": None}  # a window's reduced pass; the groups left at the end

        def take(element) -> None:
            key = int(self.key_fn(element)[0])
            if key not in sizes:
                size = int(self.window_size_fn([np.int64(key)])[0])
                if size <= 0:
                    raise _invalid(f"Window size must be greater than zero, but got {size}.")
                sizes[key] = size
            group = groups.setdefault(key, [])
            group.append(element)
            if len(group) == sizes[key]:
                del groups[key]
                state["out"] = self.reduce_fn(key, Window(group)).elements()

        def step():
            while True:
                if state["out"] is not None:
                    try:
                        return next(state["out"])
                    except StopIteration:
                        state["out"] = None
                if state["rest"] is None:
                    try:
                        element = next(it)  # an error: that element is lost, as TF's
                    except StopIteration:
                        state["rest"] = sorted(groups)
                        continue
                    take(element)
                elif state["rest"]:
                    key = state["rest"].pop(0)
                    state["out"] = self.reduce_fn(key, Window(groups.pop(key))).elements()
                else:
                    raise StopIteration

        return values.Steps(step)
