"""Keras optimizers (tf_keras's OptimizerV2 in TF1 graph mode) on an embedding's IndexedSlices
gradient and on a dense one: the values after three steps, the update ops tf_keras builds
(names and types) and the optimizer's weights, all from TF 2.21 (TF_USE_LEGACY_KERAS=1,
resource variables), and the op types of its whole update graph. The sparse paths update what
tf_keras's _resource_apply_sparse updates:
a sparse apply op's named rows, or slots decayed on every row with the gradient's rows
scattered in (Adam, Nadam, RMSprop without momentum)."""

import collections

import numpy as np
import pytest

import scopeflow as tf

K = tf.keras.optimizers
OPTIMIZERS = {
    "adadelta": lambda: K.Adadelta(1.0),
    "adagrad": lambda: K.Adagrad(0.1),
    "adam": lambda: K.Adam(0.1),
    "adam_ams": lambda: K.Adam(0.1, amsgrad=True),
    "adamax": lambda: K.Adamax(0.1),
    "ftrl": lambda: K.Ftrl(0.1),
    "nadam": lambda: K.Nadam(0.1),
    "rmsprop": lambda: K.RMSprop(0.1),
    "rmsprop_cent": lambda: K.RMSprop(0.1, centered=True),
    "rmsprop_mom": lambda: K.RMSprop(0.1, momentum=0.5),
    "rmsprop_mom_cent": lambda: K.RMSprop(0.1, momentum=0.5, centered=True),
    "sgd": lambda: K.SGD(0.1),
    "sgd_mom": lambda: K.SGD(0.1, momentum=0.9),
    "sgd_nest": lambda: K.SGD(0.1, momentum=0.9, nesterov=True),
}

# emb = arange(12).reshape(6, 2) / 4 + 1; sparse: loss = sum(square(gather(emb, ids))) for ids
# [0, 1, 1], [2], [0, 3]; dense: loss = sum(square(x @ emb - 1)) for the rows x of
# linspace(-1, 1, 18).reshape(3, 6); one apply_gradients each.
# fmt: off
SPARSE = {  # name: (emb after three steps, its update ops: 'name-under-its-scope Type')
    "adadelta": (
        [0.997155, 1.247154, 1.498586, 1.748586, 1.998586, 2.248586, 2.498586, 2.748586, 3.0, 3.25,
         3.5, 3.75],
        ["Adadelta/update_emb/ResourceSparseApplyAdadelta ResourceSparseApplyAdadelta",
         "Adadelta/AssignAddVariableOp AssignAddVariableOp"],
    ),
    "adagrad": (
        [0.834737, 1.083351, 1.400139, 1.650102, 1.900311, 2.150246, 2.400199, 2.650165, 3.0, 3.25,
         3.5, 3.75],
        ["Adagrad/update_emb/ResourceSparseApplyAdagradV2 ResourceSparseApplyAdagradV2",
         "Adagrad/AssignAddVariableOp AssignAddVariableOp"],
    ),
    "adam": (
        [0.752303, 1.00201, 1.281199, 1.531199, 1.868064, 2.118065, 2.436119, 2.686119, 3.0, 3.25,
         3.5, 3.75],
        ["Adam/update_emb/AssignVariableOp AssignVariableOp",
         "Adam/update_emb/ResourceScatterAdd ResourceScatterAdd",
         "Adam/update_emb/AssignVariableOp_1 AssignVariableOp",
         "Adam/update_emb/ResourceScatterAdd_1 ResourceScatterAdd",
         "Adam/update_emb/AssignSubVariableOp AssignSubVariableOp",
         "Adam/AssignAddVariableOp AssignAddVariableOp"],
    ),
    "adam_ams": (
        [0.752337, 1.002043, 1.281284, 1.531284, 1.868093, 2.118093, 2.436119, 2.686119, 3.0, 3.25,
         3.5, 3.75],
        ["Adam/update_emb/AssignVariableOp AssignVariableOp",
         "Adam/update_emb/ResourceScatterAdd ResourceScatterAdd",
         "Adam/update_emb/AssignVariableOp_1 AssignVariableOp",
         "Adam/update_emb/ResourceScatterAdd_1 ResourceScatterAdd",
         "Adam/update_emb/AssignVariableOp_2 AssignVariableOp",
         "Adam/update_emb/AssignSubVariableOp AssignSubVariableOp",
         "Adam/AssignAddVariableOp AssignAddVariableOp"],
    ),
    "adamax": (
        [0.833513, 1.082774, 1.4, 1.65, 1.947368, 2.197368, 2.4631, 2.7131, 3.0, 3.25, 3.5, 3.75],
        ["Adamax/update_emb/Gather ResourceGather",
         "Adamax/update_emb/ResourceScatterUpdate ResourceScatterUpdate",
         "Adamax/update_emb/Gather_1 ResourceGather",
         "Adamax/update_emb/ResourceScatterUpdate_1 ResourceScatterUpdate",
         "Adamax/update_emb/ResourceScatterAdd ResourceScatterAdd",
         "Adamax/AssignAddVariableOp AssignAddVariableOp"],
    ),
    "ftrl": (
        [0.685782, 0.931992, 1.321191, 1.571126, 1.742689, 1.992521, 2.242401, 2.492312, 3.0, 3.25,
         3.5, 3.75],
        ["Ftrl/update_emb/ResourceSparseApplyFtrl ResourceSparseApplyFtrl",
         "Ftrl/AssignAddVariableOp AssignAddVariableOp"],
    ),
    "nadam": (
        [0.814166, 1.063245, 1.394355, 1.644355, 1.895502, 2.145502, 2.387141, 2.637141, 3.0, 3.25,
         3.5, 3.75],
        ["AssignVariableOp AssignVariableOp", "Nadam/update_emb/AssignVariableOp AssignVariableOp",
         "Nadam/update_emb/ResourceScatterAdd ResourceScatterAdd",
         "Nadam/update_emb/AssignVariableOp_1 AssignVariableOp",
         "Nadam/update_emb/ResourceScatterAdd_1 ResourceScatterAdd",
         "Nadam/update_emb/ResourceScatterAdd_2 ResourceScatterAdd",
         "Nadam/AssignAddVariableOp AssignAddVariableOp"],
    ),
    "rmsprop": (
        [0.492469, 0.731804, 1.183772, 1.433772, 1.683772, 1.933772, 2.183772, 2.433772, 3.0, 3.25,
         3.5, 3.75],
        ["RMSprop/update_emb/AssignVariableOp AssignVariableOp",
         "RMSprop/update_emb/ResourceScatterAdd ResourceScatterAdd",
         "RMSprop/update_emb/ResourceScatterAdd_1 ResourceScatterAdd",
         "RMSprop/AssignAddVariableOp AssignAddVariableOp"],
    ),
    "rmsprop_cent": (
        [0.459583, 0.696516, 1.166667, 1.416667, 1.666667, 1.916667, 2.166667, 2.416667, 3.0, 3.25,
         3.5, 3.75],
        ["RMSprop/update_emb/AssignVariableOp AssignVariableOp",
         "RMSprop/update_emb/ResourceScatterAdd ResourceScatterAdd",
         "RMSprop/update_emb/AssignVariableOp_1 AssignVariableOp",
         "RMSprop/update_emb/ResourceScatterAdd_1 ResourceScatterAdd",
         "RMSprop/update_emb/ResourceScatterAdd_2 ResourceScatterAdd",
         "RMSprop/AssignAddVariableOp AssignAddVariableOp"],
    ),
    "rmsprop_mom": (
        [0.340757, 0.580023, 1.183772, 1.433772, 1.683772, 1.933772, 2.183772, 2.433772, 3.0, 3.25,
         3.5, 3.75],
        ["RMSprop/update_emb/ResourceSparseApplyRMSProp ResourceSparseApplyRMSProp",
         "RMSprop/AssignAddVariableOp AssignAddVariableOp"],
    ),
    "rmsprop_mom_cent": (
        [0.298901, 0.5357, 1.166667, 1.416667, 1.666667, 1.916667, 2.166667, 2.416667, 3.0, 3.25,
         3.5, 3.75],
        ["RMSprop/update_emb/ResourceSparseApplyCenteredRMSProp ResourceSparseApplyCenteredRMSProp",
         "RMSprop/AssignAddVariableOp AssignAddVariableOp"],
    ),
    "sgd": (
        [0.64, 0.8, 0.9, 1.05, 1.6, 1.8, 2.0, 2.2, 3.0, 3.25, 3.5, 3.75],
        ["SGD/update_emb/ResourceScatterAdd ResourceScatterAdd",
         "SGD/AssignAddVariableOp AssignAddVariableOp"],
    ),
    "sgd_mom": (
        [0.46, 0.575, 0.9, 1.05, 1.6, 1.8, 2.0, 2.2, 3.0, 3.25, 3.5, 3.75],
        ["SGD/update_emb/ResourceSparseApplyKerasMomentum ResourceSparseApplyKerasMomentum",
         "SGD/AssignAddVariableOp AssignAddVariableOp"],
    ),
    "sgd_nest": (
        [0.2224, 0.278, 0.36, 0.42, 1.24, 1.395, 1.55, 1.705, 3.0, 3.25, 3.5, 3.75],
        ["SGD/update_emb/ResourceSparseApplyKerasMomentum ResourceSparseApplyKerasMomentum",
         "SGD/AssignAddVariableOp AssignAddVariableOp"],
    ),
}
DENSE = {  # name: (emb after three steps, its update ops: 'name-under-its-scope Type')
    "adadelta": (
        [0.997799, 1.247799, 1.497528, 1.747529, 1.997269, 2.247269, 2.497043, 2.747043, 2.996866,
         3.246866, 3.496741, 3.746741],
        ["Adadelta/update_emb/ResourceApplyAdadelta ResourceApplyAdadelta",
         "Adadelta/AssignAddVariableOp AssignAddVariableOp"],
    ),
    "adagrad": (
        [0.863295, 1.113155, 1.350112, 1.599951, 1.836943, 2.086783, 2.324942, 2.574806, 2.815119,
         3.065022, 3.307945, 3.557893],
        ["Adagrad/update_emb/ResourceApplyAdagradV2 ResourceApplyAdagradV2",
         "Adagrad/AssignAddVariableOp AssignAddVariableOp"],
    ),
    "adam": (
        [0.761856, 1.011744, 1.256676, 1.506573, 1.752789, 2.002722, 2.250848, 2.500835, 2.751138,
         3.001179, 3.253419, 3.5035],
        ["Adam/update_emb/ResourceApplyAdam ResourceApplyAdam",
         "Adam/AssignAddVariableOp AssignAddVariableOp"],
    ),
    "adam_ams": (
        [0.76189, 1.011777, 1.256709, 1.506607, 1.752822, 2.002756, 2.250881, 2.500869, 2.751172,
         3.001213, 3.253453, 3.503534],
        ["Adam/update_emb/ResourceApplyAdamWithAmsgrad ResourceApplyAdamWithAmsgrad",
         "Adam/AssignAddVariableOp AssignAddVariableOp"],
    ),
    "adamax": (
        [0.808395, 1.058296, 1.301825, 1.551687, 1.793232, 2.043044, 2.288768, 2.538941, 2.796539,
         3.046667, 3.302449, 3.552546],
        ["Adamax/update_emb/ResourceApplyAdaMax ResourceApplyAdaMax",
         "Adamax/AssignAddVariableOp AssignAddVariableOp"],
    ),
    "ftrl": (
        [0.847634, 1.095309, 1.323063, 1.57135, 1.794756, 2.043901, 2.261901, 2.512267, 2.7219,
         2.974042, 3.167491, 3.422383],
        ["Ftrl/update_emb/ResourceApplyFtrl ResourceApplyFtrl",
         "Ftrl/AssignAddVariableOp AssignAddVariableOp"],
    ),
    "nadam": (
        [0.840632, 1.090462, 1.326193, 1.575999, 1.811918, 2.061729, 2.299093, 2.548938, 2.788809,
         3.038708, 3.281532, 3.531492],
        ["AssignVariableOp AssignVariableOp", "Nadam/update_emb/AssignVariableOp AssignVariableOp",
         "Nadam/update_emb/AssignVariableOp_1 AssignVariableOp",
         "Nadam/update_emb/AssignVariableOp_2 AssignVariableOp",
         "Nadam/AssignAddVariableOp AssignAddVariableOp"],
    ),
    "rmsprop": (
        [0.567695, 0.816096, 1.025988, 1.274124, 1.484313, 1.732444, 1.946313, 2.194723, 2.41517,
         2.664047, 2.892354, 3.141737],
        ["RMSprop/update_emb/AssignVariableOp AssignVariableOp",
         "RMSprop/update_emb/AssignVariableOp_1 AssignVariableOp",
         "RMSprop/AssignAddVariableOp AssignAddVariableOp"],
    ),
    "rmsprop_cent": (
        [0.542118, 0.790225, 0.99533, 1.243084, 1.448054, 1.695796, 1.905293, 2.153414, 2.371537,
         2.620288, 2.848648, 3.09804],
        ["RMSprop/update_emb/AssignVariableOp AssignVariableOp",
         "RMSprop/update_emb/AssignVariableOp_1 AssignVariableOp",
         "RMSprop/update_emb/AssignVariableOp_2 AssignVariableOp",
         "RMSprop/AssignAddVariableOp AssignAddVariableOp"],
    ),
    "rmsprop_mom": (
        [0.339009, 0.5865, 0.798877, 1.045874, 1.257456, 1.504338, 1.71815, 1.965387, 2.184535,
         2.4325, 2.658903, 2.907727],
        ["RMSprop/update_emb/ResourceApplyRMSProp ResourceApplyRMSProp",
         "RMSprop/AssignAddVariableOp AssignAddVariableOp"],
    ),
    "rmsprop_mom_cent": (
        [0.302111, 0.549153, 0.757413, 1.0038, 1.210537, 1.456748, 1.666031, 1.912713, 2.128948,
         2.376616, 2.60244, 2.851224],
        ["RMSprop/update_emb/ResourceApplyCenteredRMSProp ResourceApplyCenteredRMSProp",
         "RMSprop/AssignAddVariableOp AssignAddVariableOp"],
    ),
    "sgd": (
        [-1.226555, -1.224382, -0.616076, -0.601362, -0.005597, 0.021658, 0.604881, 0.644677,
         1.21536, 1.267697, 1.825839, 1.890717],
        ["SGD/update_emb/ResourceApplyGradientDescent ResourceApplyGradientDescent",
         "SGD/AssignAddVariableOp AssignAddVariableOp"],
    ),
    "sgd_mom": (
        [-4.062734, -4.376842, -2.969846, -3.217577, -1.876958, -2.05831, -0.78407, -0.899045,
         0.308818, 0.260221, 1.401707, 1.419487],
        ["SGD/update_emb/ResourceApplyKerasMomentum ResourceApplyKerasMomentum",
         "SGD/AssignAddVariableOp AssignAddVariableOp"],
    ),
    "sgd_nest": (
        [-4.659187, -5.039477, -3.23929, -3.516565, -1.819394, -1.993651, -0.399497, -0.470739,
         1.0204, 1.052174, 2.440296, 2.575087],
        ["SGD/update_emb/ResourceApplyKerasMomentum ResourceApplyKerasMomentum",
         "SGD/AssignAddVariableOp AssignAddVariableOp"],
    ),
}
WEIGHTS = {  # the optimizer's weights (names and shapes), the same for both
    "adadelta": [
        ("Adadelta/iter:0", ()), ("Adadelta/emb/accum_grad:0", (6, 2)),
        ("Adadelta/emb/accum_var:0", (6, 2))
    ],
    "adagrad": [("Adagrad/iter:0", ()), ("Adagrad/emb/accumulator:0", (6, 2))],
    "adam": [("Adam/iter:0", ()), ("Adam/emb/m:0", (6, 2)), ("Adam/emb/v:0", (6, 2))],
    "adam_ams": [
        ("Adam/iter:0", ()), ("Adam/emb/m:0", (6, 2)), ("Adam/emb/v:0", (6, 2)),
        ("Adam/emb/vhat:0", (6, 2))
    ],
    "adamax": [("Adamax/iter:0", ()), ("Adamax/emb/m:0", (6, 2)), ("Adamax/emb/v:0", (6, 2))],
    "ftrl": [
        ("Ftrl/iter:0", ()), ("Ftrl/emb/accumulator:0", (6, 2)), ("Ftrl/emb/linear:0", (6, 2))
    ],
    "nadam": [
        ("Nadam/iter:0", ()), ("Nadam/momentum_cache:0", ()), ("Nadam/emb/m:0", (6, 2)),
        ("Nadam/emb/v:0", (6, 2))
    ],
    "rmsprop": [("RMSprop/iter:0", ()), ("RMSprop/emb/rms:0", (6, 2))],
    "rmsprop_cent": [
        ("RMSprop/iter:0", ()), ("RMSprop/emb/rms:0", (6, 2)), ("RMSprop/emb/mg:0", (6, 2))
    ],
    "rmsprop_mom": [
        ("RMSprop/iter:0", ()), ("RMSprop/emb/rms:0", (6, 2)), ("RMSprop/emb/momentum:0", (6, 2))
    ],
    "rmsprop_mom_cent": [
        ("RMSprop/iter:0", ()), ("RMSprop/emb/rms:0", (6, 2)), ("RMSprop/emb/momentum:0", (6, 2)),
        ("RMSprop/emb/mg:0", (6, 2))
    ],
    "sgd": [("SGD/iter:0", ())],
    "sgd_mom": [("SGD/iter:0", ()), ("SGD/emb/momentum:0", (6, 2))],
    "sgd_nest": [("SGD/iter:0", ()), ("SGD/emb/momentum:0", (6, 2))],
}
# the op types apply_gradients adds (initializers included), 'Type:count' in type order
SPARSE_TYPES = {
    "adadelta": (
        "AssignAddVariableOp:1 AssignVariableOp:6 Const:11 Identity:2 NoOp:1 ReadVariableOp:8 "
        "ResourceSparseApplyAdadelta:1 Shape:1 StridedSlice:1 Unique:1 UnsortedSegmentSum:1 "
        "VarHandleOp:6 VarIsInitializedOp:6"
    ),
    "adagrad": (
        "AssignAddVariableOp:1 AssignVariableOp:4 Const:10 Identity:1 Neg:1 NoOp:1 "
        "ReadVariableOp:5 ResourceSparseApplyAdagradV2:1 Shape:1 StridedSlice:1 Unique:1 "
        "UnsortedSegmentSum:1 VarHandleOp:4 VarIsInitializedOp:4"
    ),
    "adam": (
        "AddV2:2 AssignAddVariableOp:1 AssignSubVariableOp:1 AssignVariableOp:9 Cast:1 Const:17 "
        "Identity:3 Mul:7 NoOp:2 Pow:2 ReadVariableOp:18 RealDiv:2 ResourceScatterAdd:2 Shape:1 "
        "Sqrt:2 StridedSlice:1 Sub:4 Unique:1 UnsortedSegmentSum:1 VarHandleOp:7 "
        "VarIsInitializedOp:7"
    ),
    "adam_ams": (
        "AddV2:2 AssignAddVariableOp:1 AssignSubVariableOp:1 AssignVariableOp:11 Cast:1 Const:18 "
        "Identity:3 Maximum:1 Mul:7 NoOp:2 Pow:2 ReadVariableOp:22 RealDiv:2 ResourceScatterAdd:2 "
        "Shape:1 Sqrt:2 StridedSlice:1 Sub:4 Unique:1 UnsortedSegmentSum:1 VarHandleOp:8 "
        "VarIsInitializedOp:8"
    ),
    "adamax": (
        "Abs:1 AddV2:3 AssignAddVariableOp:1 AssignVariableOp:7 Cast:1 Const:16 Identity:3 "
        "Maximum:1 Mul:4 Neg:1 NoOp:2 Pow:1 ReadVariableOp:14 RealDiv:2 ResourceGather:2 "
        "ResourceScatterAdd:1 ResourceScatterUpdate:2 Shape:1 StridedSlice:1 Sub:2 Unique:1 "
        "UnsortedSegmentSum:1 VarHandleOp:7 VarIsInitializedOp:7"
    ),
    "ftrl": (
        "AddV2:1 AssignAddVariableOp:1 AssignVariableOp:9 Const:15 Identity:5 Mul:1 NoOp:1 "
        "ReadVariableOp:14 RealDiv:1 ResourceSparseApplyFtrl:1 Shape:1 StridedSlice:1 Unique:1 "
        "UnsortedSegmentSum:1 VarHandleOp:9 VarIsInitializedOp:9"
    ),
    "nadam": (
        "AddV2:4 AssignAddVariableOp:1 AssignVariableOp:11 Cast:2 Const:30 GatherV2:2 Identity:5 "
        "Mul:16 Neg:1 NoOp:2 Pow:3 ReadVariableOp:23 RealDiv:4 ResourceScatterAdd:3 Shape:1 Sqrt:1 "
        "StridedSlice:1 Sub:8 Unique:1 UnsortedSegmentSum:1 VarHandleOp:8 VarIsInitializedOp:8"
    ),
    "rmsprop": (
        "AddV2:1 AssignAddVariableOp:1 AssignVariableOp:7 Const:13 GatherV2:1 Identity:3 Mul:4 "
        "Neg:1 NoOp:2 ReadVariableOp:13 RealDiv:1 ResourceScatterAdd:2 Shape:1 Sqrt:1 "
        "StridedSlice:1 Sub:1 Unique:1 UnsortedSegmentSum:1 VarHandleOp:6 VarIsInitializedOp:6"
    ),
    "rmsprop_cent": (
        "AddV2:1 AssignAddVariableOp:1 AssignVariableOp:9 Const:15 GatherV2:2 Identity:3 Mul:6 "
        "Neg:1 NoOp:2 ReadVariableOp:17 RealDiv:1 ResourceScatterAdd:3 Shape:1 Sqrt:1 Square:1 "
        "StridedSlice:1 Sub:2 Unique:1 UnsortedSegmentSum:1 VarHandleOp:7 VarIsInitializedOp:7"
    ),
    "rmsprop_mom": (
        "AssignAddVariableOp:1 AssignVariableOp:7 Const:13 Identity:3 Neg:1 NoOp:1 "
        "ReadVariableOp:10 ResourceSparseApplyRMSProp:1 Shape:1 StridedSlice:1 Sub:1 Unique:1 "
        "UnsortedSegmentSum:1 VarHandleOp:7 VarIsInitializedOp:7"
    ),
    "rmsprop_mom_cent": (
        "AssignAddVariableOp:1 AssignVariableOp:8 Const:14 Identity:3 Neg:1 NoOp:1 "
        "ReadVariableOp:11 ResourceSparseApplyCenteredRMSProp:1 Shape:1 StridedSlice:1 Sub:1 "
        "Unique:1 UnsortedSegmentSum:1 VarHandleOp:8 VarIsInitializedOp:8"
    ),
    "sgd": (
        "AssignAddVariableOp:1 AssignVariableOp:4 Const:5 Identity:2 Mul:1 Neg:1 NoOp:1 "
        "ReadVariableOp:6 ResourceScatterAdd:1 VarHandleOp:4 VarIsInitializedOp:4"
    ),
    "sgd_mom": (
        "AssignAddVariableOp:1 AssignVariableOp:5 Const:9 Identity:2 NoOp:1 ReadVariableOp:7 "
        "ResourceSparseApplyKerasMomentum:1 Shape:1 StridedSlice:1 Unique:1 UnsortedSegmentSum:1 "
        "VarHandleOp:5 VarIsInitializedOp:5"
    ),
    "sgd_nest": (
        "AssignAddVariableOp:1 AssignVariableOp:5 Const:9 Identity:2 NoOp:1 ReadVariableOp:7 "
        "ResourceSparseApplyKerasMomentum:1 Shape:1 StridedSlice:1 Unique:1 UnsortedSegmentSum:1 "
        "VarHandleOp:5 VarIsInitializedOp:5"
    ),
}
DENSE_TYPES = {
    "adadelta": (
        "AssignAddVariableOp:1 AssignVariableOp:6 Const:8 Identity:3 IdentityN:1 NoOp:1 "
        "ReadVariableOp:8 ResourceApplyAdadelta:1 VarHandleOp:6 VarIsInitializedOp:6"
    ),
    "adagrad": (
        "AssignAddVariableOp:1 AssignVariableOp:4 Const:7 Identity:2 IdentityN:1 Neg:1 NoOp:1 "
        "ReadVariableOp:5 ResourceApplyAdagradV2:1 VarHandleOp:4 VarIsInitializedOp:4"
    ),
    "adam": (
        "AddV2:1 AssignAddVariableOp:1 AssignVariableOp:7 Cast:1 Const:14 Identity:4 IdentityN:1 "
        "Mul:1 NoOp:1 Pow:2 ReadVariableOp:11 RealDiv:1 ResourceApplyAdam:1 Sqrt:1 Sub:4 "
        "VarHandleOp:7 VarIsInitializedOp:7"
    ),
    "adam_ams": (
        "AddV2:1 AssignAddVariableOp:1 AssignVariableOp:8 Cast:1 Const:15 Identity:4 IdentityN:1 "
        "Mul:1 NoOp:1 Pow:2 ReadVariableOp:12 RealDiv:1 ResourceApplyAdamWithAmsgrad:1 Sqrt:1 "
        "Sub:4 VarHandleOp:8 VarIsInitializedOp:8"
    ),
    "adamax": (
        "AddV2:1 AssignAddVariableOp:1 AssignVariableOp:7 Cast:1 Const:13 Identity:4 IdentityN:1 "
        "Neg:1 NoOp:1 Pow:1 ReadVariableOp:11 RealDiv:1 ResourceApplyAdaMax:1 Sub:2 VarHandleOp:7 "
        "VarIsInitializedOp:7"
    ),
    "ftrl": (
        "AddV2:1 AssignAddVariableOp:1 AssignVariableOp:9 Const:12 Identity:6 IdentityN:1 Mul:1 "
        "NoOp:1 ReadVariableOp:14 RealDiv:1 ResourceApplyFtrl:1 VarHandleOp:9 VarIsInitializedOp:9"
    ),
    "nadam": (
        "AddV2:6 AssignAddVariableOp:1 AssignVariableOp:12 Cast:2 Const:25 Identity:6 IdentityN:1 "
        "Mul:15 Neg:1 NoOp:1 Pow:3 ReadVariableOp:24 RealDiv:4 Sqrt:1 Square:1 Sub:9 VarHandleOp:8 "
        "VarIsInitializedOp:8"
    ),
    "rmsprop": (
        "AddV2:2 AssignAddVariableOp:1 AssignVariableOp:8 Const:9 Identity:4 IdentityN:1 Mul:3 "
        "Neg:1 NoOp:1 ReadVariableOp:14 RealDiv:1 Sqrt:1 Square:1 Sub:2 VarHandleOp:6 "
        "VarIsInitializedOp:6"
    ),
    "rmsprop_cent": (
        "AddV2:3 AssignAddVariableOp:1 AssignVariableOp:10 Const:10 Identity:4 IdentityN:1 Mul:5 "
        "Neg:1 NoOp:1 ReadVariableOp:18 RealDiv:1 Sqrt:1 Square:2 Sub:3 VarHandleOp:7 "
        "VarIsInitializedOp:7"
    ),
    "rmsprop_mom": (
        "AssignAddVariableOp:1 AssignVariableOp:7 Const:10 Identity:4 IdentityN:1 Neg:1 NoOp:1 "
        "ReadVariableOp:10 ResourceApplyRMSProp:1 Sub:1 VarHandleOp:7 VarIsInitializedOp:7"
    ),
    "rmsprop_mom_cent": (
        "AssignAddVariableOp:1 AssignVariableOp:8 Const:11 Identity:4 IdentityN:1 Neg:1 NoOp:1 "
        "ReadVariableOp:11 ResourceApplyCenteredRMSProp:1 Sub:1 VarHandleOp:8 VarIsInitializedOp:8"
    ),
    "sgd": (
        "AssignAddVariableOp:1 AssignVariableOp:4 Const:5 Identity:3 IdentityN:1 NoOp:1 "
        "ReadVariableOp:6 ResourceApplyGradientDescent:1 VarHandleOp:4 VarIsInitializedOp:4"
    ),
    "sgd_mom": (
        "AssignAddVariableOp:1 AssignVariableOp:5 Const:6 Identity:3 IdentityN:1 NoOp:1 "
        "ReadVariableOp:7 ResourceApplyKerasMomentum:1 VarHandleOp:5 VarIsInitializedOp:5"
    ),
    "sgd_nest": (
        "AssignAddVariableOp:1 AssignVariableOp:5 Const:6 Identity:3 IdentityN:1 NoOp:1 "
        "ReadVariableOp:7 ResourceApplyKerasMomentum:1 VarHandleOp:5 VarIsInitializedOp:5"
    ),
}
# fmt: on


def _train(name: str, sparse: bool, use_resource: bool, executor: str = "numpy"):
    """The trained embedding, the optimizer, and the ops apply_gradients added."""
    graph = tf.Graph()
    with graph.as_default():
        start = np.arange(12, dtype=np.float32).reshape(6, 2) / 4 + 1
        emb = tf.Variable(start, name="emb", use_resource=use_resource)
        if sparse:
            ids = tf.placeholder(tf.int32, [None])
            loss = tf.reduce_sum(tf.square(tf.gather(emb, ids)))
            feeds = [{ids: batch} for batch in ([0, 1, 1], [2], [0, 3])]
        else:
            x = tf.placeholder(tf.float32, [None, 6])
            loss = tf.reduce_sum(tf.square(tf.matmul(x, emb) - 1.0))
            xs = np.linspace(-1, 1, 18, dtype=np.float32).reshape(3, 6)
            feeds = [{x: xs[i : i + 1]} for i in range(3)]
        optimizer = OPTIMIZERS[name]()
        grads = tf.gradients(loss, [emb])
        first = len(graph.get_operations())
        train = optimizer.apply_gradients(zip(grads, [emb], strict=True))
        added = graph.get_operations()[first:]
        with tf.Session(executor=executor) as sess:
            sess.run(tf.global_variables_initializer())
            for feed in feeds:
                sess.run(train, feed)
            value = sess.run(emb).ravel()
    return value, optimizer, added


def _update_ops(optimizer, ops) -> list:
    scope = optimizer._name + "/"
    return [
        f"{op.name[len(scope) :]} {op.type}"
        for op in ops
        if op.type.startswith(("Resource", "Assign")) and not op.name.endswith("/Assign")
    ]


@pytest.mark.parametrize("sparse", [True, False], ids=["sparse", "dense"])
@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_values_update_ops_and_weights_are_tf_kerass(name, sparse):
    values, updates = (SPARSE if sparse else DENSE)[name]
    got, optimizer, ops = _train(name, sparse, use_resource=True)
    np.testing.assert_allclose(got, values, rtol=1e-5, atol=1e-6)
    assert _update_ops(optimizer, ops) == updates
    types = collections.Counter(op.type for op in ops)
    assert (
        " ".join(f"{t}:{n}" for t, n in sorted(types.items()))
        == (SPARSE_TYPES if sparse else DENSE_TYPES)[name]
    )
    weights = [(w.name, tuple(w.shape.as_list())) for w in optimizer.weights]
    assert weights == WEIGHTS[name]


@pytest.mark.parametrize("sparse", [True, False], ids=["sparse", "dense"])
@pytest.mark.parametrize(
    "name", ["adagrad", "adam_ams", "adamax", "nadam", "rmsprop_mom", "sgd_nest"]
)
def test_reference_variables_train_to_the_same_values(name, sparse):
    # Reference ops (ApplyAdagradV2, ApplyAdaMax...), or assignments where TF has no
    # reference form (KerasMomentum, AdamWithAmsgrad).
    got, _, ops = _train(name, sparse=sparse, use_resource=False)
    np.testing.assert_allclose(got, (SPARSE if sparse else DENSE)[name][0], rtol=1e-5, atol=1e-6)
    assert not any(op.type.startswith("Resource") for op in ops)


def test_plain_sgd_scatters_repeated_rows_without_summing_them_first():
    # tf_keras's SGD adds -lr * grad at the indices as they come (no Unique/UnsortedSegmentSum).
    _, _, ops = _train("sgd", sparse=True, use_resource=True)
    types = {op.type for op in ops}
    assert "ResourceScatterAdd" in types and not types & {"Unique", "UnsortedSegmentSum"}


def test_updates_are_grouped_before_the_step_count_is_incremented():
    _, optimizer, ops = _train("adam", sparse=False, use_resource=True)
    by_name = {op.name: op for op in ops}
    group = by_name["Adam/Adam/group_deps"]
    assert group.type == "NoOp"
    assert [op.name for op in group.control_inputs] == ["Adam/Adam/update_emb/ResourceApplyAdam"]
    step = by_name["Adam/Adam/AssignAddVariableOp"]
    assert group in step.inputs[1].op.control_inputs  # its Const, as TF's


@pytest.mark.parametrize("name", ["nadam", "sgd_nest"])
def test_the_jax_executor_gives_the_same_sparse_steps(name):
    pytest.importorskip("jax")
    got, _, _ = _train(name, sparse=True, use_resource=True, executor="jax")
    np.testing.assert_allclose(got, SPARSE[name][0], rtol=1e-4, atol=1e-6)
