"""How close each convolution algorithm comes to the machine's GEMM peak, on the seed image
filter's convolution (100x32x32x32 input, 5x5x32x32 filter, SAME) and on the 3x3 layers of the
ResNet benchmark. For every algorithm that applies (``scopeflow/ops/kernels/conv.py``:
``candidates``) it times the forward convolution and the filter gradient, and prints their
GFLOP/s (a direct convolution's 2 N OH OW KH KW C O operations, whatever the algorithm does)
and that rate as a fraction of the GEMM peak measured in the same process: a large float32
matrix product on the same number of threads. FFT, spectral and Winograd do fewer operations
than a direct convolution, so they can pass 1.0.

    python benchmarks/conv_algorithms.py [--threads 2] [--repeats 5]
"""

from __future__ import annotations

import argparse
import functools
import time

import numpy as np

from scopeflow.ops.kernels import conv, gemm
from scopeflow.ops.kernels.parallel import Threads
from scopeflow.session import tuning

# (name, input NHWC, filter HWIO, pads top/bottom/left/right)
PROBLEMS = [
    ("image filter 5x5", (100, 32, 32, 32), (5, 5, 32, 32), (2, 2, 2, 2)),
    ("resnet 3x3, 32x32x16", (32, 32, 32, 16), (3, 3, 16, 16), (1, 1, 1, 1)),
    ("resnet 3x3, 16x16x32", (32, 16, 16, 32), (3, 3, 32, 32), (1, 1, 1, 1)),
    ("resnet 3x3, 8x8x64", (32, 8, 8, 64), (3, 3, 64, 64), (1, 1, 1, 1)),
]


def best_seconds(fn, repeats: int) -> float:
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def gemm_peak(threads: Threads, repeats: int) -> float:
    """GFLOP/s of a 2048 x 2048 x 2048 float32 product, split over ``threads`` as the
    kernels split theirs."""
    rng = np.random.default_rng(0)
    a, b = (rng.standard_normal((2048, 2048)).astype(np.float32) for _ in range(2))
    return 2 * 2048**3 / best_seconds(lambda: gemm.matmul(threads, a, b), repeats) / 1e9


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=2, help="kernel threads (default 2)")
    parser.add_argument("--repeats", type=int, default=5, help="timed calls (the best counts)")
    args = parser.parse_args()
    tuning.tune_process()  # BLAS on one thread, as in a Session
    threads = Threads(args.threads)
    peak = gemm_peak(threads, args.repeats)
    print(f"GEMM peak, float32 2048^3 on {threads.count} thread(s): {peak:.1f} GFLOP/s\n")
    print(f"{'problem':24s} {'algorithm':10s} {'forward':>20s} {'filter gradient':>20s}")
    rng = np.random.default_rng(1)
    for name, x_shape, w_shape, pads in PROBLEMS:
        x = rng.standard_normal(x_shape).astype(np.float32)
        w = rng.standard_normal(w_shape).astype(np.float32)
        dy = rng.standard_normal((*x_shape[:3], w_shape[3])).astype(np.float32)
        n, h, wd, c = x_shape
        flops = 2 * n * h * wd * w_shape[0] * w_shape[1] * c * w_shape[3]
        one = ((1, 1), (1, 1), pads)
        for algorithm in conv.candidates(x_shape, w_shape, *one, np.float32):
            rates = []
            for run in (
                functools.partial(conv.conv2d_by, algorithm, x, w, *one, threads),
                functools.partial(
                    conv.filter_grad_by, algorithm, x, dy, w_shape[:2], *one, threads
                ),
            ):
                rate = flops / best_seconds(run, args.repeats) / 1e9
                rates.append(f"{rate:6.1f} GF/s {rate / peak:4.2f}")
            print(f"{name:24s} {algorithm:10s} {rates[0]:>20s} {rates[1]:>20s}")


if __name__ == "__main__":
    main()
