"""What a dataset op's kernel computes: a Python object that can iterate over the elements
(each a flat list of NumPy values, one per component), lazily.

A dataset op's kernel builds one of these from its inputs' values (a ``MapDataset`` from
its input dataset's object and its traced function); ``MakeIterator`` and
``OneShotIterator`` start an iteration (:meth:`DatasetValue.elements`), which the session
keeps until the iterator is initialized again. Errors found while iterating are
``tf.errors`` without an op; ``IteratorGetNext`` names itself in them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import numpy as np

from scopeflow.framework import errors
from scopeflow.summary.record_options import decompress, open_records, read_file


class DatasetValue:
    """A dataset op's value: :meth:`elements` starts a new pass over its elements."""

    def elements(self) -> Iterator[list]:
        raise NotImplementedError


def _invalid(message: str) -> errors.InvalidArgumentError:
    return errors.InvalidArgumentError(None, None, message)


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
        for parts in zip(*(c.elements() for c in self.children), strict=False):
            yield [v for part in parts for v in part]


class Concatenate(DatasetValue):
    def __init__(self, first, second):
        self.first, self.second = first, second

    def elements(self):
        yield from self.first.elements()
        yield from self.second.elements()


class Map(DatasetValue):
    def __init__(self, child, function):
        self.child, self.function = child, function

    def elements(self):
        function = self.function
        for element in self.child.elements():
            yield function(element)


class Filter(DatasetValue):
    def __init__(self, child, predicate):
        self.child, self.predicate = child, predicate

    def elements(self):
        predicate = self.predicate
        for element in self.child.elements():
            if predicate(element)[0]:
                yield element


class FlatMap(DatasetValue):
    """``function`` maps an element to a :class:`DatasetValue`."""

    def __init__(self, child, function):
        self.child, self.function = child, function

    def elements(self):
        for element in self.child.elements():
            yield from self.function(element).elements()


class Interleave(DatasetValue):
    def __init__(self, child, function, cycle_length: int, block_length: int):
        if cycle_length <= 0 or block_length <= 0:
            raise _invalid("cycle_length and block_length must be greater than zero.")
        self.child, self.function = child, function
        self.cycle_length, self.block_length = cycle_length, block_length

    def elements(self):
        inputs = self.child.elements()
        cycle: list = []
        exhausted = False
        while True:
            while not exhausted and len(cycle) < self.cycle_length:
                element = next(inputs, None)
                if element is None:
                    exhausted = True
                else:
                    cycle.append(self.function(element).elements())
            if not cycle:
                return
            for it in list(cycle):
                for _ in range(self.block_length):
                    element = next(it, None)
                    if element is None:
                        cycle.remove(it)
                        break
                    yield element


def _batch_error(i: int, first, other) -> errors.InvalidArgumentError:
    return _invalid(
        "Cannot add tensor to the batch: number of elements does not match. Shapes are: "
        f"[tensor]: {list(np.shape(other))}, [batch]: {list(np.shape(first))} (component {i})"
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
                raise _batch_error(i, parts[0], part)
        out.append(np.stack([as_array(p) for p in parts]))
    return out


def _batches(elements, size: int, drop_remainder: bool):
    batch: list = []
    for element in elements:
        batch.append(element)
        if len(batch) == size:
            yield batch
            batch = []
    if batch and not drop_remainder:
        yield batch


class Batch(DatasetValue):
    def __init__(self, child, size: int, drop_remainder: bool):
        if size <= 0:
            raise _invalid(f"Batch size must be greater than zero, got {size}")
        self.child, self.size, self.drop_remainder = child, size, drop_remainder

    def elements(self):
        for batch in _batches(self.child.elements(), self.size, self.drop_remainder):
            yield _stack(batch)


class PaddedBatch(DatasetValue):
    """``shapes``: per component, the padded shape (``-1``: the batch's longest)."""

    def __init__(self, child, size: int, shapes: list, values: list, drop_remainder: bool):
        if size <= 0:
            raise _invalid(f"Batch size must be greater than zero, got {size}")
        self.child, self.size, self.drop_remainder = child, size, drop_remainder
        self.shapes = [[int(d) for d in np.reshape(s, [-1])] for s in shapes]
        self.values = values

    def elements(self):
        for batch in _batches(self.child.elements(), self.size, self.drop_remainder):
            yield [self._pad(i, [as_array(e[i]) for e in batch]) for i in range(len(batch[0]))]

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
    """TF's shuffle buffer: fill it with ``buffer_size`` elements, then yield a random one
    and put the next element in its place. Each pass draws a new order from the same
    generator, unless ``reshuffle`` is false (then every pass repeats the first order)."""

    def __init__(self, child, buffer_size: int, seed: int, seed2: int, reshuffle: bool):
        if buffer_size <= 0:
            raise _invalid(f"buffer_size must be greater than zero, got {buffer_size}")
        self.child, self.buffer_size, self.reshuffle = child, buffer_size, reshuffle
        if seed == 0 and seed2 == 0:
            seed, seed2 = (int(s) for s in np.random.SeedSequence().generate_state(2))
        self.seeds = [int(seed), int(seed2)]
        self.rng = np.random.default_rng(self.seeds)

    def elements(self):
        rng = self.rng if self.reshuffle else np.random.default_rng(self.seeds)
        buffer: list = []
        for element in self.child.elements():
            if len(buffer) < self.buffer_size:
                buffer.append(element)
                continue
            i = int(rng.integers(len(buffer)))
            yield buffer[i]
            buffer[i] = element
        while buffer:
            i = int(rng.integers(len(buffer)))
            buffer[i], buffer[-1] = buffer[-1], buffer[i]
            yield buffer.pop()


class Repeat(DatasetValue):
    def __init__(self, child, count: int):
        self.child, self.count = child, count

    def elements(self):
        passes = itertools.count() if self.count < 0 else range(self.count)
        for _ in passes:
            empty = True
            for element in self.child.elements():
                empty = False
                yield element
            if empty:  # an empty dataset repeated forever is empty, as in TF
                return


class Take(DatasetValue):
    def __init__(self, child, count: int):
        self.child, self.count = child, count

    def elements(self):
        it = self.child.elements()
        yield from it if self.count < 0 else itertools.islice(it, self.count)


class Skip(DatasetValue):
    def __init__(self, child, count: int):
        self.child, self.count = child, count

    def elements(self):
        if self.count < 0:
            return
        yield from itertools.islice(self.child.elements(), self.count, None)


class Prefetch(DatasetValue):
    """Elements are computed when asked for: nothing runs ahead (TF prefetches on threads)."""

    def __init__(self, child):
        self.child = child

    def elements(self):
        return self.child.elements()


class Cache(DatasetValue):
    """The first complete pass is kept in memory; later passes replay it."""

    def __init__(self, child):
        self.child = child
        self.cached: list | None = None

    def elements(self):
        if self.cached is not None:
            yield from self.cached
            return
        seen = []
        for element in self.child.elements():
            seen.append(element)
            yield element
        self.cached = seen


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


_COMPRESSIONS = ("", "ZLIB", "GZIP")


def _check_compression(compression: str) -> None:
    if compression not in _COMPRESSIONS:
        raise _invalid("Unsupported compression_type.")


def _whole_file(path: str, compression: str) -> bytes:
    return decompress(read_file(path), compression)


class TextLines(DatasetValue):
    """The lines of each file, without their line endings (``\\n``, ``\\r\\n``); a
    compressed file (``"GZIP"``, ``"ZLIB"``) is read whole and decompressed first."""

    def __init__(self, filenames, compression: str = ""):
        self.filenames = [_path(f) for f in np.reshape(filenames, [-1])]
        self.compression = compression

    def elements(self):
        _check_compression(self.compression)
        if self.compression:
            for path in self.filenames:
                lines = _whole_file(path, self.compression).split(b"\n")
                if lines[-1] == b"":
                    lines.pop()
                for line in lines:
                    yield [np.asarray(line.rstrip(b"\r"), dtype=object)]
            return
        for path in self.filenames:
            try:
                f = open(path, "rb")  # noqa: SIM115 - kept open across runs while iterating
            except FileNotFoundError:
                message = f"{path}; No such file or directory"
                raise errors.NotFoundError(None, None, message) from None
            with f:
                for line in f:
                    yield [np.asarray(line.rstrip(b"\n").rstrip(b"\r"), dtype=object)]


def _path(name) -> str:
    return name.decode() if isinstance(name, bytes) else str(name)


class FixedLengthRecords(DatasetValue):
    """The ``record_bytes``-long records of each file between its ``header_bytes`` and
    ``footer_bytes`` (``tf.data.FixedLengthRecordDataset``)."""

    def __init__(self, filenames, record_bytes, header_bytes, footer_bytes, compression: str):
        self.filenames = [_path(f) for f in np.reshape(filenames, [-1])]
        self.record = int(record_bytes)
        self.header, self.footer = int(header_bytes), int(footer_bytes)
        self.compression = compression

    def elements(self):
        _check_compression(self.compression)
        if self.record <= 0:
            raise _invalid("record_bytes must be greater than zero.")
        for path in self.filenames:
            data = _whole_file(path, self.compression)
            body = data[self.header : max(self.header, len(data) - self.footer)]
            if len(body) % self.record:
                raise _invalid(
                    f"Excluding the header ({self.header} bytes) and footer ({self.footer} "
                    f'bytes), input file "{path}" has body length {len(body)} bytes, which is '
                    f"not an exact multiple of the record length ({self.record} bytes)."
                )
            for start in range(0, len(body), self.record):
                yield [np.asarray(body[start : start + self.record], dtype=object)]


class Records(DatasetValue):
    """The records of each TFRecord file, checksums checked (``compression``: ``"GZIP"``,
    ``"ZLIB"`` or ``""``)."""

    def __init__(self, filenames, compression: str = ""):
        self.filenames = [_path(f) for f in np.reshape(filenames, [-1])]
        self.compression = compression

    def elements(self):
        # TF's record reader reads a file of an unknown compression as uncompressed
        compression = self.compression if self.compression in _COMPRESSIONS else ""
        for path in self.filenames:
            for _, record in open_records(path, compression):
                yield [np.asarray(record, dtype=object)]
