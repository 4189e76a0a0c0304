"""Keeps freed kernel buffers in the process instead of handing them back to the OS.

A training step allocates the same large arrays (activations, gradients, spectra) every
step. glibc's malloc serves each one from fresh ``mmap`` pages and unmaps it when freed,
so every step pays a page fault per 4 KiB written: on the 2-core VMs we measure on, that
was about half the time of a small CNN's step. Like TensorFlow's own allocator, which keeps
its memory pool for the life of the process, the first ``Session`` raises glibc's mmap and
trim thresholds, so freed buffers are reused. Peak memory is unchanged; memory that was
freed is kept by the process (it is not returned to the OS until exit).

Set ``SCOPEFLOW_KEEP_FREED_MEMORY=0`` in the environment to leave malloc as it is. Only glibc
is tuned; elsewhere this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import sys

_M_TRIM_THRESHOLD = -1
_M_TOP_PAD = -2
_M_MMAP_THRESHOLD = -3

_MMAP_THRESHOLD = 32 << 20  # glibc's largest allowed value on 64-bit machines
_TRIM_THRESHOLD = 1 << 30
_TOP_PAD = 16 << 20


@functools.cache
def keep_freed_memory() -> bool:
    """Tunes glibc's malloc once per process; returns whether it is tuned. (Two threads
    racing here both set the same values.)"""
    return _tune()


def _tune() -> bool:
    if os.environ.get("SCOPEFLOW_KEEP_FREED_MEMORY", "1") == "0":
        return False
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # musl or another libc without mallopt
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    return all(
        mallopt(param, value) == 1
        for param, value in (
            (_M_MMAP_THRESHOLD, _MMAP_THRESHOLD),
            (_M_TRIM_THRESHOLD, _TRIM_THRESHOLD),
            (_M_TOP_PAD, _TOP_PAD),
        )
    )
