"""Shortens how long OpenBLAS's idle worker threads spin, so that they leave the cores to
scopeflow's kernels between BLAS calls.

After each multi-threaded call, OpenBLAS's workers busy-wait for the next one for 2^28 CPU
cycles (about 0.1 s) before they sleep. A training step alternates BLAS calls with NumPy
kernels, so the workers never sleep: on a 2-core machine a profile of the CNN benchmark
showed a third of all CPU time in that spin loop, taken from the kernels that run between
BLAS calls. With a timeout of 2^20 cycles (about 0.4 ms: back-to-back products still find
their workers awake) the CNN benchmark ran about 10% faster and the MLP benchmark as fast.

The first ``Session`` sets ``OPENBLAS_THREAD_TIMEOUT=20`` in the environment and has the
OpenBLAS libraries already loaded read it again and restart their (idle) workers; libraries
loaded later read it when they start. Nothing is done when the variable is already set (your
value wins), when ``SCOPEFLOW_KEEP_BLAS_SPIN=1``, when other threads are running (a restart
must not meet a call in flight), off Linux, or for a BLAS other than OpenBLAS.
"""

from __future__ import annotations

import ctypes
import functools
import os
import sys
import threading

TIMEOUT = "20"  # log2 of the cycles an idle worker spins


@functools.cache
def shorten_blas_spin() -> bool:
    """Applies the shorter spin once per process; returns whether it did."""
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
    os.environ["OPENBLAS_THREAD_TIMEOUT"] = TIMEOUT
    for read_env, shutdown in libraries:
        read_env()  # the library copies its settings from the environment here
        shutdown()  # idle workers exit; the next call starts them with the new timeout
    return True


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
