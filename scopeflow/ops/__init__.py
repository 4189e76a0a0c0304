"""Op families, one subpackage each; every op type is registered once, in one module, with
its shape rule, NumPy kernel and gradient side by side.

Packages import only downward (``tests/test_structure.py`` checks it)::

    nn/  random/  control/  state/     model-level ops
          |
        math/                          arithmetic, reductions, matmul, linalg, where, range
          |
        array/                         placeholders, reshapes, casts, joins, slices, gathers
          |
        core/                          shape/dtype inference helpers, one-op builders
          |
        kernels/                       NumPy-only algorithms (conv, spectral, thread spans)

Gradient rules build the ops they need through ``core/build.py`` (one op per call), never
through another family's public wrapper, so no family imports one above it.
"""
