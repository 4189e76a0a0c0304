"""Tests for scopeflow/distributions/: the distributions build TF1's ops, names, dtypes and
static shapes (constructors, methods, samplers, KL divergences) and raise TF1's errors while
building (records read from TensorFlow 2.21's ``tf.compat.v1.distributions`` by
``tools/tf_reference.py`` from tests/data/tf_reference/distributions.py)."""

from __future__ import annotations

from tests.ops.graph_checks import built, record_tests, setup_of, tf_reference

REFERENCE = tf_reference("distributions")
SETUP = setup_of(REFERENCE)
GROUPS = {"GRADIENTS": {}, **REFERENCE["groups"]}


def _tf1_ops(ops: list) -> list:
    """TF 2.21's ``ops`` changed where scopeflow builds TF 1.x's graph, or its own op, in the
    ops the distributions call (not in the distributions themselves):

    - ``tf.matrix_set_diag`` (``covariance``): scopeflow's is ``MatrixSetDiag``, TF 2.21's
      ``MatrixSetDiagV3`` with its ``k``;
    - ``Dirichlet.mode``: TF 1.x's ``tf.where`` (``Select``), which picks whole rows of a
      batch; TF 2.21's ``where_v2`` fails for batches of more than one distribution.
    """
    out = []
    for name, kind in ops:
        if kind == "MatrixSetDiagV3":
            out.append([name, "MatrixSetDiag"])
        elif name == "Dirichlet/mode/SelectV2":
            out.append(["Dirichlet/mode/Select", "Select"])
        elif not name.endswith("set_diag/k"):
            out.append([name, kind])
    return out


def _differences() -> dict:
    """Every recorded build whose ops :func:`_tf1_ops` changes, and ``Normal.quantile``:
    scopeflow's ``Ndtri`` op (``tf.math.ndtri``, the same values) where TF 2.21 builds the
    inverse normal CDF from 200 elementwise ops."""
    out = {}
    for records in REFERENCE["groups"].values():
        for expression, record in records.items():
            ops = _tf1_ops(record.get("ops", []))
            if ops == record.get("ops", []):
                continue
            fields = {}
            if record["op"].endswith("/set_diag"):  # no third input, k
                fields["input_dtypes"] = record["input_dtypes"][:2]
            if record["op"] == "Dirichlet/mode/SelectV2":
                fields.update(op="Dirichlet/mode/Select", name="Dirichlet/mode/Select:0")
            out[expression] = built(ops, **fields)
    quantile = "tf.distributions.Normal(x, s).quantile(c)"
    ops = REFERENCE["groups"]["BUILDS"][quantile]["ops"]
    kept = [op for op in ops if "/ndtri/" not in op[0]]
    out[quantile] = built(kept[:2] + [["Normal/quantile/ndtri/Ndtri", "Ndtri"]] + kept[2:])
    return out


# Where scopeflow does something else than TF 2.21: expression -> what it does instead.
DIFFERENCES: dict = _differences()

(
    test_builds_tf1_ops_and_static_shapes,
    test_gradients_build_tf1_ops,
    test_build_errors,
    test_every_difference_is_a_recorded_expression,
) = record_tests(GROUPS, DIFFERENCES)
