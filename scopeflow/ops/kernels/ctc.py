"""Connectionist temporal classification as NumPy algorithms, TF1's CPU kernels' semantics:
the loss and its gradient by forward-backward in log space (``ctc_loss_batch``), and TF's
prefix beam search (``beam_search``). Graph code lives in ``scopeflow/ops/nn/ctc.py``.

The loss follows TF's ``CTCLossCalculator`` (Graves' thesis, ch. 7): the extended label
sequence ``l'`` puts a blank (the last class) around every label; ``ctc_merge_repeated=False``
forbids staying on a label from one frame to the next (each frame emits it again) and allows
skipping the blank between two equal labels. The gradient is with respect to the logits:
``softmax - posterior``, as TF returns it; where no path has any probability the loss is
``inf`` and the gradient the softmax, as in TF.
"""

from __future__ import annotations

import numpy as np

_NEG_INF = -np.inf


def log_softmax(x: np.ndarray) -> np.ndarray:
    """``log(softmax(x))`` over the last axis, in float64."""
    x = x.astype(np.float64)
    shifted = x - x.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def extended_labels(labels: list[np.ndarray], blank: int) -> tuple[np.ndarray, np.ndarray]:
    """``l'`` of each sequence, padded with blanks to one width: ``(l_prime [B, U], U of
    each)``."""
    sizes = np.array([2 * len(seq) + 1 for seq in labels], np.int64)
    l_prime = np.full((len(labels), int(sizes.max(initial=1))), blank, np.int64)
    for b, seq in enumerate(labels):
        l_prime[b, 1 : 2 * len(seq) : 2] = seq
    return l_prime, sizes


def _shift(a: np.ndarray, k: int) -> np.ndarray:
    """``a[:, u - k]`` at ``u`` (``-inf`` where out of range); ``k < 0`` looks ahead."""
    out = np.full_like(a, _NEG_INF)
    if k > 0:
        out[:, k:] = a[:, :-k]
    else:
        out[:, :k] = a[:, -k:]
    return out


def ctc_loss_batch(
    logits: np.ndarray, labels: list[np.ndarray], seq_len: np.ndarray, merge_repeated: bool
) -> tuple[np.ndarray, np.ndarray]:
    """The CTC loss of each sequence and its gradient w.r.t. ``logits`` (``[time, batch,
    classes]``, blank the last class), all sequences at once (``labels`` nonempty, each no
    longer than its ``seq_len``, which is at least 1). Float64 results."""
    steps, batch, classes = logits.shape
    blank = classes - 1
    log_y = log_softmax(logits)  # [T, B, C]
    l_prime, sizes = extended_labels(labels, blank)
    width = l_prime.shape[1]
    u = np.arange(width)
    padding = u[None, :] >= sizes[:, None]
    lp = np.take_along_axis(log_y, np.broadcast_to(l_prime, (steps, batch, width)), axis=2)
    lp = np.where(padding, _NEG_INF, lp)  # [T, B, U]
    is_blank = l_prime == blank
    stay = np.broadcast_to(merge_repeated | is_blank, l_prime.shape)
    same_as_two_back = np.zeros_like(is_blank)
    same_as_two_back[:, 2:] = l_prime[:, 2:] == l_prime[:, :-2]
    skip = (u[None, :] > 1) & ~is_blank & ~(merge_repeated & same_as_two_back)
    skip_ahead = np.zeros_like(skip)  # from u to u + 2
    skip_ahead[:, :-2] = skip[:, 2:]

    alpha = np.full((steps, batch, width), _NEG_INF)
    alpha[0, :, :2] = lp[0, :, :2]
    for t in range(1, steps):
        prev = alpha[t - 1]
        total = np.logaddexp(np.where(stay, prev, _NEG_INF), _shift(prev, 1))
        total = np.logaddexp(total, np.where(skip, _shift(prev, 2), _NEG_INF))
        alpha[t] = total + lp[t]

    last = seq_len - 1
    beta = np.full((steps, batch, width), _NEG_INF)
    end = np.where(
        (u[None, :] == sizes[:, None] - 1) | (u[None, :] == sizes[:, None] - 2), 0.0, _NEG_INF
    )
    for t in range(steps - 1, -1, -1):
        if t < steps - 1:
            nxt = beta[t + 1] + lp[t + 1]
            total = np.logaddexp(np.where(stay, nxt, _NEG_INF), _shift(nxt, -1))
            beta[t] = np.logaddexp(total, np.where(skip_ahead, _shift(nxt, -2), _NEG_INF))
        beta[t] = np.where((t == last)[:, None], end, beta[t])
        beta[t, t > last] = _NEG_INF

    both = alpha + beta  # [T, B, U]
    with np.errstate(invalid="ignore"):
        log_p = np.logaddexp.reduce(both[0], axis=-1)  # [B]
        posterior = np.exp(both - log_p[None, :, None])
    onehot = l_prime[:, :, None] == np.arange(classes)  # [B, U, C]
    y = np.exp(log_y)
    grad = y - np.einsum("tbu,buc->tbc", np.nan_to_num(posterior), onehot)
    impossible = np.isneginf(log_p)
    grad[:, impossible] = y[:, impossible]
    grad[np.arange(steps)[:, None] > last[None, :]] = 0.0
    return -log_p, grad


def _log_sum_exp(a: float, b: float) -> float:
    if a == _NEG_INF:
        return b
    if b == _NEG_INF:
        return a
    return max(a, b) + np.log1p(np.exp(-abs(a - b)))


class _Entry:
    """A beam entry: a label prefix (its last label and parent) with the log-probabilities
    of its paths at the previous and current frame (``[total, blank, label]``)."""

    __slots__ = ("parent", "label", "children", "old", "new")

    def __init__(self, parent, label: int):
        self.parent, self.label, self.children = parent, label, {}
        self.old = [_NEG_INF] * 3
        self.new = [_NEG_INF] * 3

    def active(self) -> bool:
        return self.new[0] != _NEG_INF

    def labels(self, merge_repeated: bool) -> list[int]:
        """The prefix's labels; with ``merge_repeated``, also equal neighbours merged (TF
        merges them although a prefix's equal neighbours had a blank between them)."""
        out, prev, entry = [], -1, self
        while entry.parent is not None:
            if not merge_repeated or entry.label != prev:
                out.append(entry.label)
            prev, entry = entry.label, entry.parent
        return out[::-1]


class _Leaves:
    """TF's ``gtl::TopN`` of the beam's entries by current total, with its bottom's total
    (``floor``: ``-inf`` while there is room) kept up to date."""

    def __init__(self, limit: int):
        self.limit, self.items, self.floor = limit, [], _NEG_INF

    def push(self, entry: _Entry) -> None:
        """Adds ``entry``; when full, evicts the bottom entry first, marking it inactive."""
        if len(self.items) == self.limit:
            bottom = self.bottom()
            bottom.new = [_NEG_INF] * 3
            self.items.remove(bottom)
        self.items.append(entry)
        if len(self.items) == self.limit:
            self.floor = self.bottom().new[0]

    def bottom(self) -> _Entry:
        return min(reversed(self.items), key=lambda e: e.new[0])

    def extract(self) -> list[_Entry]:
        items, self.items, self.floor = self.items, [], _NEG_INF
        return sorted(items, key=lambda e: -e.new[0])


def beam_search(log_probs: np.ndarray, beam_width: int, top_paths: int, merge_repeated: bool):
    """TF's CTC prefix beam search over one sequence's normalized log-probabilities
    (``[time, classes]``, blank last): the ``top_paths`` best prefixes (label lists) and
    their log-probabilities, best first.

    Raises:
        ValueError: fewer prefixes in the beam than ``top_paths``.
    """
    blank = log_probs.shape[1] - 1
    root = _Entry(None, -1)
    root.new = [0.0, 0.0, _NEG_INF]
    leaves = _Leaves(beam_width)
    leaves.push(root)
    for frame in log_probs:
        branches = leaves.extract()
        for b in branches:
            b.old = list(b.new)
        for b in branches:
            new = b.new
            if b.parent is not None:
                if b.parent.active():
                    parent_old = b.parent.old
                    previous = parent_old[1] if b.label == b.parent.label else parent_old[0]
                    new[2] = _log_sum_exp(new[2], previous)
                new[2] += float(frame[b.label])
            new[1] = b.old[0] + float(frame[blank])
            new[0] = _log_sum_exp(new[1], new[2])
            leaves.push(b)
        for b in branches:
            _grow(b, frame, blank, leaves)
    if top_paths > len(leaves.items):
        raise ValueError("Less leaves in the beam search than requested.")
    best = leaves.extract()[:top_paths]
    return [e.labels(merge_repeated) for e in best], [e.new[0] for e in best]


def _grow(b: _Entry, frame: np.ndarray, blank: int, leaves: _Leaves) -> None:
    """Extends ``b`` by each label whose new prefix makes it into the beam, in label order
    (the beam's floor only rises meanwhile, so labels below it are passed over at once). As
    in TF, a child out of the beam that fails to get back in loses its previous frame's
    probabilities too: a child that was in the beam at that frame then grows nothing."""
    if not b.old[0] > leaves.floor:
        return
    totals = frame[:blank] + b.old[0]
    if 0 <= b.label < blank:
        totals[b.label] = frame[b.label] + b.old[1]
    for label in sorted({*np.flatnonzero(totals > leaves.floor).tolist(), *b.children}):
        child = b.children.get(label)
        if child is not None and child.active():
            continue
        total = float(totals[label])
        if not (total > leaves.floor and total > _NEG_INF):
            if child is not None:
                child.old = [_NEG_INF] * 3
            continue
        if child is None:
            child = b.children[label] = _Entry(b, label)
        child.new = [total, _NEG_INF, total]
        leaves.push(child)
