"""Process-wide tuning: everything scopeflow changes in the process beyond its own objects.

Importing scopeflow changes nothing. The first ``Session`` calls :func:`tune_process`, which
makes three changes, once per process:

1. **Freed buffers stay in the process.** A training step allocates the same large arrays
   (activations, gradients, spectra) every step. glibc's malloc serves each one from fresh
   ``mmap`` pages and unmaps it when freed, so every step pays a page fault per 4 KiB
   written: on the 2-core VMs we measure on, that was about half the time of a small CNN's
   step. Like TensorFlow's own allocator, which keeps its memory pool for the life of the
   process, glibc's mmap and trim thresholds are raised, so freed buffers are reused. Peak
   memory is unchanged; memory that was freed is kept by the process (it is not returned to
   the OS until exit). Opt out: ``SCOPEFLOW_KEEP_FREED_MEMORY=0``. Only glibc is tuned
   (Linux); elsewhere nothing is done.
2. **OpenBLAS's idle workers spin 2^20 cycles instead of 2^28** before they sleep. After
   each multi-threaded call they busy-wait for the next one (about 0.1 s by default). A
   training step alternates BLAS calls with NumPy kernels, so the workers never sleep: on a
   2-core machine a profile of the CNN benchmark showed a third of all CPU time in that spin
   loop, taken from the kernels that run between BLAS calls. With 2^20 cycles (about 0.4 ms:
   back-to-back products still find their workers awake) the CNN benchmark ran about 10%
   faster and the MLP benchmark as fast. ``OPENBLAS_THREAD_TIMEOUT=20`` is set in the
   environment; the OpenBLAS libraries already loaded read it again and restart their
   (idle) workers, libraries loaded later read it when they start. Opt out:
   ``SCOPEFLOW_KEEP_BLAS_SPIN=1``; nothing is done either when ``OPENBLAS_THREAD_TIMEOUT``
   is already set (your value wins), when other threads are running (a restart must not
   meet a call in flight), off Linux, or for a BLAS other than OpenBLAS.

3. **BLAS runs on one thread** (:data:`BLAS_THREADS`); the cores are shared out by
   scopeflow's kernel threads instead, which each ``Session`` sizes from its ``ConfigProto``
   (``intra_op_parallelism_threads``, see ``scopeflow/ops/kernels/parallel.py``): the
   convolutions' GEMMs run chunk by chunk on those threads, each chunk's product on one BLAS
   thread, so BLAS threads x kernel threads never exceed the session's thread count. Measured
   on the shared 2-core VM (load average ~7): OpenBLAS's two threads, statically split and
   waiting on each other when one is descheduled, took 60-100 ms for products that take
   0.6-1 ms on one thread ([32, 512] x [512, 1024], [128, 784] x [784, 512]); against TF1
   the LSTM training benchmark went from 0.05x to 0.56-0.66x its steps/s, the CNN one from
   0.09x to 0.47-0.76x (README, "Process tuning and threads"). The limit is set through
   ``threadpoolctl`` (imported here, not by ``import scopeflow``) on the BLAS libraries
   loaded at that moment (NumPy's). A product's bits depend on BLAS's thread count, so a
   fixed count also keeps results the same from run to run whatever the load. Opt out:
   ``SCOPEFLOW_KEEP_BLAS_THREADS=1``; nothing is done either when ``OPENBLAS_NUM_THREADS``,
   ``OMP_NUM_THREADS``, ``MKL_NUM_THREADS`` or ``BLIS_NUM_THREADS`` is set (your value
   wins) or when ``threadpoolctl`` is not installed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import sys
import threading
from typing import NamedTuple

_M_TRIM_THRESHOLD = -1
_M_TOP_PAD = -2
_M_MMAP_THRESHOLD = -3

_MMAP_THRESHOLD = 32 << 20  # glibc's largest allowed value on 64-bit machines
_TRIM_THRESHOLD = 1 << 30
_TOP_PAD = 16 << 20

BLAS_TIMEOUT = "20"  # log2 of the cycles an idle OpenBLAS worker spins
BLAS_THREADS = 1  # the threads of each BLAS call (3. above)
# Any of these set: the user chose BLAS's threads, and the limit is not applied.
_BLAS_THREAD_VARIABLES = (
    "SCOPEFLOW_KEEP_BLAS_THREADS",
    "OPENBLAS_NUM_THREADS",
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
)


class Tuned(NamedTuple):
    """What :func:`tune_process` changed."""

    kept_freed_memory: bool
    shortened_blas_spin: bool
    blas_threads: int | None  # the thread count BLAS was limited to; None: left as it was


@functools.cache
def tune_process() -> Tuned:
    """Makes the process-wide changes listed above, once per process (two threads racing
    here both set the same values); returns which were made."""
    return Tuned(_keep_freed_memory(), _shorten_blas_spin(), _limit_blas_threads())


def _keep_freed_memory() -> bool:
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


def _shorten_blas_spin() -> bool:
    if "OPENBLAS_THREAD_TIMEOUT" in os.environ or os.environ.get("SCOPEFLOW_KEEP_BLAS_SPIN"):
        return False
    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return False
    libraries = []
    for path in _loaded_openblas():
        try:
            lib = ctypes.CDLL(path)
            libraries.append((lib.openblas_read_env, lib.blas_thread_shutdown_))
        except (OSError, AttributeError):  # not an OpenBLAS we know how to restart: left as is
            continue
    if not libraries:
        return False
    os.environ["OPENBLAS_THREAD_TIMEOUT"] = BLAS_TIMEOUT
    for read_env, shutdown in libraries:
        read_env()  # the library copies its settings from the environment here
        shutdown()  # idle workers exit; the next call starts them with the new timeout
    return True


def _limit_blas_threads() -> int | None:
    if any(os.environ.get(name) for name in _BLAS_THREAD_VARIABLES):
        return None
    try:
        import threadpoolctl
    except ImportError:
        return None
    import numpy  # noqa: F401 - its BLAS must be loaded to be limited

    threadpoolctl.threadpool_limits(BLAS_THREADS, user_api="blas")
    return BLAS_THREADS


def _loaded_openblas() -> list[str]:
    import numpy  # noqa: F401 - its BLAS must be loaded to be found

    paths: list[str] = []
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                fields = line.split(maxsplit=5)
                path = fields[5].strip() if len(fields) == 6 else ""
                name = os.path.basename(path).lower()
                if "openblas" in name and ".so" in name and path not in paths:
                    paths.append(path)
    except OSError:
        return []
    return paths
