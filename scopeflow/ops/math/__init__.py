"""Math ops: element-wise arithmetic (``elementwise``), broadcasting, reductions,
``where``/``select``, ``range``, matrix products, linear algebra and norm clipping."""
