"""Writes ``scopeflow/graph_io/tf_op_defs.json``: TensorFlow's OpDefs for the op types
scopeflow registers, plus the ones listed in ``EXTRA`` (op types being added).

Each entry holds the op's input and output args (name, type attr or fixed DataType number,
number attr, type-list attr, is a reference), its attrs (name, type, default as
``AttrValue`` JSON) and, for an op type TF removed, the GraphDef version and explanation
(``dep``); the GraphDef exporter and importer read it instead of TensorFlow.

    .venv/bin/python tools/make_tf_op_defs.py /path/to/tf-venv/bin/python
"""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys

OUT = pathlib.Path(__file__).resolve().parents[1] / "scopeflow" / "graph_io" / "tf_op_defs.json"
EXTRA = """Conv3D Conv3DBackpropInputV2 Conv3DBackpropFilterV2 MaxPool3D AvgPool3D MaxPool3DGrad
AvgPool3DGrad ResizeBilinear ResizeNearestNeighbor ResizeBicubic ResizeArea ResizeBilinearGrad
ResizeNearestNeighborGrad Einsum ScatterNdAdd ScatterNdSub ScatterNdUpdate TensorScatterUpdate
TensorScatterAdd TensorScatterSub LRN LRNGrad ScalarSummary HistogramSummary ImageSummary
AudioSummaryV2 TensorSummaryV2 MergeSummary SaveV2 Sinh Cosh Tan Asin Acos Atan Atan2 Erf Erfc
Lgamma Digamma SoftplusGrad Expm1 BatchMatMul BatchMatMulV3 ClipByValue MatrixInverse
MatrixDeterminant Cholesky SelfAdjointEigV2 Svd Bucketize Cross Inv Imag Real Complex Angle
TruncateDiv TruncateMod Xdivy Xlogy FusedBatchNorm FusedBatchNormV3 FusedBatchNormGradV3 Snapshot
DepthToSpace SpaceToDepth LinSpace BroadcastTo BroadcastArgs ReverseSequence OnesLike
ParallelDynamicStitch Rint Atanh Acosh Asinh ApplyFtrl ApplyProximalAdagrad ApplyAdagradDA
ApplyAdaMax SparseApplyFtrl VarHandleOp ReadVariableOp AssignVariableOp""".split()

_CHILD = """
import json, os, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow as tf
from google.protobuf import json_format
from tensorflow.python.framework import op_def_registry

def arg(a):
    t = a.type_attr or (None if a.type_list_attr else int(a.type))
    return [a.name, t, a.number_attr or None, a.type_list_attr or None, bool(a.is_ref)]

out = {}
for name in sorted(set(json.loads(sys.stdin.read()))):
    d = op_def_registry.get(name)
    if d is None:
        print("TensorFlow has no op type", name, file=sys.stderr)
        continue
    attrs = [[a.name, a.type, json_format.MessageToDict(a.default_value)
              if a.HasField("default_value") else None] for a in d.attr]
    out[name] = {"in": [arg(a) for a in d.input_arg], "out": [arg(a) for a in d.output_arg],
                 "attrs": attrs}
    if d.HasField("deprecation"):
        out[name]["dep"] = [d.deprecation.version, d.deprecation.explanation]
print(json.dumps(out, separators=(",", ":"), sort_keys=True).replace('},"', '},\\n"'))
"""


def main(tf_python: str) -> None:
    sys.path.insert(0, str(OUT.parents[2]))
    import scopeflow  # noqa: F401 - registers the op types
    from scopeflow.framework.registry import registered_op_types

    names = registered_op_types() + EXTRA
    done = subprocess.run(
        [tf_python, "-c", _CHILD], input=json.dumps(names), capture_output=True, text=True,
        check=True,
    )  # fmt: skip
    OUT.write_text(done.stdout)
    print(f"wrote {OUT} ({len(json.loads(done.stdout))} op types)")


if __name__ == "__main__":
    main(sys.argv[1])
