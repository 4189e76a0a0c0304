"""The orders in which the C++ standard library (GNU libstdc++, TF's Linux builds) leaves
equal elements: its binary heap (``std::priority_queue``, ``std::make_heap``/``pop_heap``)
and its introsort (``std::sort``), written from the algorithms' descriptions.

Kernels whose TF counterpart orders by a key alone (a score) use these to break ties as TF
does. ``less(a, b)`` is the C++ comparator: true when ``a`` goes before ``b`` in a sort, or
below ``b`` in a heap (the heap's top is its greatest element).
"""

from __future__ import annotations

from collections.abc import Callable

Less = Callable[[object, object], bool]
_THRESHOLD = 16  # std::sort leaves runs this short to its final insertion sort


def heap_push(heap: list, value, less: Less, hole: int | None = None, top: int = 0) -> None:
    """Adds ``value`` to ``heap`` (or, with ``hole``, sets it there): it moves up while its
    parent is less."""
    if hole is None:
        heap.append(value)
        hole = len(heap) - 1
    parent = (hole - 1) // 2
    while hole > top and less(heap[parent], value):
        heap[hole] = heap[parent]
        hole, parent = parent, (parent - 1) // 2
    heap[hole] = value


def _adjust(heap: list, hole: int, size: int, value, less: Less) -> None:
    """The hole at ``hole`` moves down to a leaf by the greater child (the right one unless
    it is less than the left), then ``value`` moves up from there."""
    top = child = hole
    while child < (size - 1) // 2:
        child = 2 * (child + 1)
        if less(heap[child], heap[child - 1]):
            child -= 1
        heap[hole] = heap[child]
        hole = child
    if size % 2 == 0 and child == (size - 2) // 2:
        child = 2 * (child + 1)
        heap[hole] = heap[child - 1]
        hole = child - 1
    heap_push(heap, value, less, hole, top)


def heap_pop(heap: list, less: Less):
    """Removes and returns the top of ``heap`` (``std::pop_heap`` then ``pop_back``)."""
    top, value = heap[0], heap.pop()
    if heap:
        _adjust(heap, 0, len(heap), value, less)
    return top


def _heap_sort(items: list, first: int, last: int, less: Less) -> None:
    part = items[first:last]
    for parent in range((len(part) - 2) // 2, -1, -1):
        _adjust(part, parent, len(part), part[parent], less)
    for end in range(len(part) - 1, 0, -1):
        value, part[end] = part[end], part[0]
        _adjust(part, 0, end, value, less)
    items[first:last] = part


def _median_to_first(items: list, result: int, a: int, b: int, c: int, less: Less) -> None:
    x, y, z = items[a], items[b], items[c]
    if less(x, y):
        pick = b if less(y, z) else c if less(x, z) else a
    else:
        pick = a if less(x, z) else c if less(y, z) else b
    items[result], items[pick] = items[pick], items[result]


def _partition(items: list, first: int, last: int, pivot: int, less: Less) -> int:
    while True:
        while less(items[first], items[pivot]):
            first += 1
        last -= 1
        while less(items[pivot], items[last]):
            last -= 1
        if first >= last:
            return first
        items[first], items[last] = items[last], items[first]
        first += 1


def _linear_insert(items: list, last: int, less: Less) -> None:
    value = items[last]
    while less(value, items[last - 1]):
        items[last] = items[last - 1]
        last -= 1
    items[last] = value


def _insertion_sort(items: list, first: int, last: int, less: Less) -> None:
    for i in range(first + 1, last):
        if less(items[i], items[first]):
            items[first : i + 1] = [items[i], *items[first:i]]
        else:
            _linear_insert(items, i, less)


def std_sort(items: list, less: Less) -> None:
    """Sorts ``items`` in place into the order ``std::sort`` leaves them (not stable)."""
    n = len(items)
    if n < 2:
        return
    stack = [(0, n, 2 * (n.bit_length() - 1))]
    while stack:
        first, last, depth = stack.pop()
        while last - first > _THRESHOLD:
            if depth == 0:
                _heap_sort(items, first, last, less)
                break
            depth -= 1
            middle = first + (last - first) // 2
            _median_to_first(items, first, first + 1, middle, last - 1, less)
            cut = _partition(items, first + 1, last, first, less)
            stack.append((cut, last, depth))  # the right part, sorted before the left in C++
            last = cut
    if n > _THRESHOLD:
        _insertion_sort(items, 0, _THRESHOLD, less)
        for i in range(_THRESHOLD, n):
            _linear_insert(items, i, less)
    else:
        _insertion_sort(items, 0, n, less)
