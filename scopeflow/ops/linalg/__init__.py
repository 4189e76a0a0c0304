"""Linear algebra built on the math ops, with control flow where TF's needs it: LU
(``lu.py``), matrix functions (``functions.py``: ``sqrtm``, ``logm``, ``expm``,
``normalize``), tridiagonal systems (``tridiagonal.py``)."""
