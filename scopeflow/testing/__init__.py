"""What ``tf.test`` is made of: ``TestCase`` (``test_case.py``, its array assertions in
``asserts.py``), ``Benchmark`` and ``main`` (``benchmark.py``), the build and device queries and
the temporary directory (``platform.py``), numeric gradient checks (``gradient_checker.py``).
The namespace is ``scopeflow/test.py``, which loads ``TestCase`` (and ``unittest``/``absltest``)
on first use."""
