"""NumPy-only algorithm code behind the kernels: convolution algorithms, the spectral
(DFT-as-matmul) convolutions, window arithmetic and the shared kernel thread pool. Nothing
here imports graph code."""
