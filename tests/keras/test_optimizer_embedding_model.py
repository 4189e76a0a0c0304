"""A Keras model with an Embedding trained by each tf.keras optimizer through compile and
train_on_batch (Model.get_updates: the embedding's gradient stays an IndexedSlices, as in
tf_keras, so its rows not gathered by a batch keep their values where TF's do): the weights after
three batches and the op types under training/<optimizer>/, from TF 2.21 (TF_USE_LEGACY_KERAS=1).
Densified before, Nadam, Adamax, Ftrl, Adadelta, SGD and RMSprop with momentum differed from TF;
Ftrl zeroed rows never gathered. Also a Dense model with a kernel constraint and batch norm."""

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
    "rmsprop_mom": lambda: K.RMSprop(0.1, momentum=0.5, centered=True),
    "sgd": lambda: K.SGD(0.1),
    "sgd_mom": lambda: K.SGD(0.1, momentum=0.9, nesterov=True),
}
XS = [np.array([[0, 1]]), np.array([[2, 2]]), np.array([[0, 3]])]
YS = [np.array([[1.0]]), np.array([[-1.0]]), np.array([[0.5]])]

# fmt: off
EXPECTED = {  # name: (embeddings, Dense kernel) after three train_on_batch steps
    "adadelta": (
        [0.9966520071029663, 1.253350019454956, 1.4985860586166382, 1.7485860586166382,
         1.9985860586166382, 2.2514140605926514, 2.4985859394073486, 2.7485859394073486, 3.0,
         3.25, 3.5, 3.75],
        [0.49580198526382446, -0.2542780041694641, 0.7449439764022827, 0.09497000277042389],
    ),
    "adagrad": (
        [0.9035689830780029, 1.3369770050048828, 1.408215045928955, 1.7205359935760498,
         1.9002219438552856, 2.347975969314575, 2.4612200260162354, 2.7573421001434326, 3.0, 3.25,
         3.5, 3.75],
        [0.3030869960784912, -0.44912201166152954, 0.547029972076416, -0.10332000255584717],
    ),
    "adam": (
        [0.7700240015983582, 1.492522954940796, 1.2812000513076782, 1.5312060117721558,
         1.868064045906067, 2.381934881210327, 2.43612003326416, 2.8138740062713623, 3.0, 3.25,
         3.5, 3.75],
        [0.2541140019893646, -0.49799400568008423, 0.4954470098018646, -0.155008003115654],
    ),
    "adam_ams": (
        [0.7700560092926025, 1.4924919605255127, 1.281285047531128, 1.5312910079956055,
         1.8680930137634277, 2.381906032562256, 2.43612003326416, 2.8138740062713623, 3.0, 3.25,
         3.5, 3.75],
        [0.25412100553512573, -0.497994989156723, 0.49544599652290344, -0.15500900149345398],
    ),
    "adamax": (
        [0.846002995967865, 1.4116580486297607, 1.399999976158142, 1.649999976158142,
         1.9473680257797241, 2.3026320934295654, 2.463099956512451, 2.786900043487549, 3.0, 3.25,
         3.5, 3.75],
        [0.30260300636291504, -0.44934600591659546, 0.5429999828338623, -0.10728800296783447],
    ),
    "ftrl": (
        [0.37613099813461304, 0.30566099286079407, 0.8128299713134766, 0.04822000116109848,
         1.6552590131759644, 1.6866120100021362, 0.06994199752807617, -0.0011439999798312783, 3.0,
         3.25, 3.5, 3.75],
        [0.1525840014219284, -0.38203999400138855, 0.4018020033836365, -0.1084970012307167],
    ),
    "nadam": (
        [0.8910449743270874, 1.3518389463424683, 1.394355058670044, 1.644355058670044,
         1.895501971244812, 2.3544979095458984, 2.612859010696411, 2.637144088745117, 3.0, 3.25,
         3.5, 3.75],
        [0.28236401081085205, -0.46743500232696533, 0.5335270166397095, -0.11647100001573563],
    ),
    "rmsprop": (
        [0.7003350257873535, 1.2506979703903198, 1.1837719678878784, 1.4337730407714844,
         1.6837730407714844, 2.566227912902832, 2.816227912902832, 2.433772087097168, 3.0, 3.25,
         3.5, 3.75],
        [0.30400100350379944, -0.42105600237846375, 0.616100013256073, -0.03026599995791912],
    ),
    "rmsprop_mom": (
        [0.5222330093383789, 1.4192960262298584, 1.1666669845581055, 1.4166860580444336,
         2.3257570266723633, 1.920596957206726, 2.8333330154418945, 2.4166669845581055, 3.0, 3.25,
         3.5, 3.75],
        [0.24149300158023834, -0.4990130066871643, 0.5010610222816467, -0.1495479941368103],
    ),
    "sgd": (
        [0.5215060114860535, -0.17939400672912598, 1.4268749952316284, 1.7402499914169312,
         1.613726019859314, 2.4198648929595947, 2.307041883468628, 1.6506739854812622, 3.0, 3.25,
         3.5, 3.75],
        [0.7539669871330261, 0.26380398869514465, 2.777437925338745, 2.301237106323242],
    ),
    "sgd_mom": (
        [-0.06133300065994263, -1.8376660346984863, 1.3610620498657227, 1.7314749956130981,
         1.7606220245361328, 2.4646990299224854, 1.8647359609603882, 0.13958700001239777, 3.0,
         3.25, 3.5, 3.75],
        [1.5594539642333984, 1.5869799852371216, 5.613059997558594, 5.39414119720459],
    ),
}
TYPES = {  # the op types of training/<optimizer>/ (its gradients' scope left out)
    "adadelta": (
        "AssignAddVariableOp:1 AssignVariableOp:10 Const:15 Identity:2 NoOp:1 ReadVariableOp:12 "
        "ResourceApplyAdadelta:2 ResourceSparseApplyAdadelta:1 Shape:1 StridedSlice:1 Unique:1 "
        "UnsortedSegmentSum:1 VarHandleOp:10 VarIsInitializedOp:10"
    ),
    "adagrad": (
        "AssignAddVariableOp:1 AssignVariableOp:6 Const:12 Identity:1 Neg:1 NoOp:1 "
        "ReadVariableOp:7 ResourceApplyAdagradV2:2 ResourceSparseApplyAdagradV2:1 Shape:1 "
        "StridedSlice:1 Unique:1 UnsortedSegmentSum:1 VarHandleOp:6 VarIsInitializedOp:6"
    ),
    "adam": (
        "AddV2:2 AssignAddVariableOp:1 AssignSubVariableOp:1 AssignVariableOp:13 Cast:1 Const:21 "
        "Identity:3 Mul:7 NoOp:2 Pow:2 ReadVariableOp:22 RealDiv:2 ResourceApplyAdam:2 "
        "ResourceScatterAdd:2 Shape:1 Sqrt:2 StridedSlice:1 Sub:4 Unique:1 UnsortedSegmentSum:1 "
        "VarHandleOp:11 VarIsInitializedOp:11"
    ),
    "adam_ams": (
        "AddV2:2 AssignAddVariableOp:1 AssignSubVariableOp:1 AssignVariableOp:17 Cast:1 Const:24 "
        "Identity:3 Maximum:1 Mul:7 NoOp:2 Pow:2 ReadVariableOp:28 RealDiv:2 "
        "ResourceApplyAdamWithAmsgrad:2 ResourceScatterAdd:2 Shape:1 Sqrt:2 StridedSlice:1 Sub:4 "
        "Unique:1 UnsortedSegmentSum:1 VarHandleOp:14 VarIsInitializedOp:14"
    ),
    "adamax": (
        "Abs:1 AddV2:3 AssignAddVariableOp:1 AssignVariableOp:11 Cast:1 Const:20 Identity:3 "
        "Maximum:1 Mul:4 Neg:1 NoOp:2 Pow:1 ReadVariableOp:18 RealDiv:2 ResourceApplyAdaMax:2 "
        "ResourceGather:2 ResourceScatterAdd:1 ResourceScatterUpdate:2 Shape:1 StridedSlice:1 "
        "Sub:2 Unique:1 UnsortedSegmentSum:1 VarHandleOp:11 VarIsInitializedOp:11"
    ),
    "ftrl": (
        "AddV2:3 AssignAddVariableOp:1 AssignVariableOp:13 Const:21 Identity:5 Mul:3 NoOp:1 "
        "ReadVariableOp:18 RealDiv:3 ResourceApplyFtrl:2 ResourceSparseApplyFtrl:1 Shape:1 "
        "StridedSlice:1 Unique:1 UnsortedSegmentSum:1 VarHandleOp:13 VarIsInitializedOp:13"
    ),
    "nadam": (
        "AddV2:12 AssignAddVariableOp:1 AssignVariableOp:21 Cast:2 Const:34 GatherV2:2 Identity:5 "
        "Mul:30 Neg:1 NoOp:2 Pow:3 ReadVariableOp:43 RealDiv:12 ResourceScatterAdd:3 Shape:1 "
        "Sqrt:3 Square:2 StridedSlice:1 Sub:10 Unique:1 UnsortedSegmentSum:1 VarHandleOp:12 "
        "VarIsInitializedOp:12"
    ),
    "rmsprop": (
        "AddV2:5 AssignAddVariableOp:1 AssignVariableOp:13 Const:15 GatherV2:1 Identity:3 Mul:10 "
        "Neg:1 NoOp:2 ReadVariableOp:25 RealDiv:3 ResourceScatterAdd:2 Shape:1 Sqrt:3 Square:2 "
        "StridedSlice:1 Sub:3 Unique:1 UnsortedSegmentSum:1 VarHandleOp:8 VarIsInitializedOp:8"
    ),
    "rmsprop_mom": (
        "AssignAddVariableOp:1 AssignVariableOp:14 Const:20 Identity:3 Neg:1 NoOp:1 "
        "ReadVariableOp:17 ResourceApplyCenteredRMSProp:2 ResourceSparseApplyCenteredRMSProp:1 "
        "Shape:1 StridedSlice:1 Sub:1 Unique:1 UnsortedSegmentSum:1 VarHandleOp:14 "
        "VarIsInitializedOp:14"
    ),
    "sgd": (
        "AssignAddVariableOp:1 AssignVariableOp:4 Const:5 Identity:2 Mul:1 Neg:1 NoOp:1 "
        "ReadVariableOp:6 ResourceApplyGradientDescent:2 ResourceScatterAdd:1 VarHandleOp:4 "
        "VarIsInitializedOp:4"
    ),
    "sgd_mom": (
        "AssignAddVariableOp:1 AssignVariableOp:7 Const:11 Identity:2 NoOp:1 ReadVariableOp:9 "
        "ResourceApplyKerasMomentum:2 ResourceSparseApplyKerasMomentum:1 Shape:1 StridedSlice:1 "
        "Unique:1 UnsortedSegmentSum:1 VarHandleOp:7 VarIsInitializedOp:7"
    ),
}
# fmt: on

# fmt: off
DENSE_EXPECTED = {  # name: (the constrained kernel, its bias) after three batches
    "adadelta": ([0.83205, 0.871857, 1.248075, 1.2206], [0.0, 0.0]),
    "adagrad": ([0.83205, 0.871857, 1.248075, 1.2206], [0.0, 0.0]),
    "adam": ([0.83205, 0.871857, 1.248075, 1.2206], [0.0, 0.0]),
    "adam_ams": ([0.83205, 0.871857, 1.248075, 1.2206], [0.0, 0.0]),
    "adamax": ([0.83205, 0.871857, 1.248075, 1.2206], [0.0, 0.0]),
    "ftrl": ([0.0, 0.0, 0.0, 0.0], [0.0, 0.0]),
    "nadam": ([0.83205, 0.871857, 1.248075, 1.2206], [0.0, 0.0]),
    "rmsprop": ([0.83205, 0.871857, 1.248075, 1.2206], [0.0, 0.0]),
    "rmsprop_mom": ([0.83205, 0.871857, 1.248075, 1.2206], [0.0, 0.0]),
    "sgd": ([0.83205, 0.871857, 1.248075, 1.2206], [0.0, 0.0]),
    "sgd_mom": ([0.83205, 0.871857, 1.248075, 1.2206], [0.0, 0.0]),
}
DENSE_TYPES = {  # the op types of training/<optimizer>/ (its gradients' scope left out)
    "adadelta": (
        "AddV2:1 AssignAddVariableOp:1 AssignVariableOp:17 Const:23 Identity:8 IdentityN:1 "
        "Maximum:2 Minimum:1 Mul:1 NoOp:1 ReadVariableOp:21 RealDiv:1 ResourceApplyAdadelta:6 "
        "Sqrt:1 Square:1 Sum:1 VarHandleOp:16 VarIsInitializedOp:16"
    ),
    "adagrad": (
        "AddV2:1 AssignAddVariableOp:1 AssignVariableOp:10 Const:17 Identity:7 IdentityN:1 "
        "Maximum:2 Minimum:1 Mul:1 Neg:1 NoOp:1 ReadVariableOp:13 RealDiv:1 "
        "ResourceApplyAdagradV2:6 Sqrt:1 Square:1 Sum:1 VarHandleOp:9 VarIsInitializedOp:9"
    ),
    "adam": (
        "AddV2:2 AssignAddVariableOp:1 AssignVariableOp:18 Cast:1 Const:29 Identity:9 IdentityN:1 "
        "Maximum:2 Minimum:1 Mul:2 NoOp:1 Pow:2 ReadVariableOp:24 RealDiv:2 ResourceApplyAdam:6 "
        "Sqrt:2 Square:1 Sub:4 Sum:1 VarHandleOp:17 VarIsInitializedOp:17"
    ),
    "adam_ams": (
        "AddV2:2 AssignAddVariableOp:1 AssignVariableOp:24 Cast:1 Const:35 Identity:9 IdentityN:1 "
        "Maximum:2 Minimum:1 Mul:2 NoOp:1 Pow:2 ReadVariableOp:30 RealDiv:2 "
        "ResourceApplyAdamWithAmsgrad:6 Sqrt:2 Square:1 Sub:4 Sum:1 VarHandleOp:23 "
        "VarIsInitializedOp:23"
    ),
    "adamax": (
        "AddV2:2 AssignAddVariableOp:1 AssignVariableOp:18 Cast:1 Const:28 Identity:9 IdentityN:1 "
        "Maximum:2 Minimum:1 Mul:1 Neg:1 NoOp:1 Pow:1 ReadVariableOp:24 RealDiv:2 "
        "ResourceApplyAdaMax:6 Sqrt:1 Square:1 Sub:2 Sum:1 VarHandleOp:17 VarIsInitializedOp:17"
    ),
    "ftrl": (
        "AddV2:7 AssignAddVariableOp:1 AssignVariableOp:20 Const:32 Identity:11 IdentityN:1 "
        "Maximum:2 Minimum:1 Mul:7 NoOp:1 ReadVariableOp:27 RealDiv:7 ResourceApplyFtrl:6 Sqrt:1 "
        "Square:1 Sum:1 VarHandleOp:19 VarIsInitializedOp:19"
    ),
    "nadam": (
        "AddV2:27 AssignAddVariableOp:1 AssignVariableOp:38 Cast:2 Const:40 Identity:11 "
        "IdentityN:1 Maximum:2 Minimum:1 Mul:51 Neg:1 NoOp:1 Pow:3 ReadVariableOp:77 RealDiv:25 "
        "Sqrt:7 Square:7 Sub:14 Sum:1 VarHandleOp:18 VarIsInitializedOp:18"
    ),
    "rmsprop": (
        "AddV2:13 AssignAddVariableOp:1 AssignVariableOp:24 Const:19 Identity:9 IdentityN:1 "
        "Maximum:2 Minimum:1 Mul:19 Neg:1 NoOp:1 ReadVariableOp:47 RealDiv:7 Sqrt:7 Square:7 Sub:7 "
        "Sum:1 VarHandleOp:11 VarIsInitializedOp:11"
    ),
    "rmsprop_mom": (
        "AddV2:1 AssignAddVariableOp:1 AssignVariableOp:24 Const:31 Identity:9 IdentityN:1 "
        "Maximum:2 Minimum:1 Mul:1 Neg:1 NoOp:1 ReadVariableOp:29 RealDiv:1 "
        "ResourceApplyCenteredRMSProp:6 Sqrt:1 Square:1 Sub:1 Sum:1 VarHandleOp:23 "
        "VarIsInitializedOp:23"
    ),
    "sgd": (
        "AddV2:1 AssignAddVariableOp:1 AssignVariableOp:5 Const:10 Identity:8 IdentityN:1 "
        "Maximum:2 Minimum:1 Mul:1 NoOp:1 ReadVariableOp:9 RealDiv:1 "
        "ResourceApplyGradientDescent:6 Sqrt:1 Square:1 Sum:1 VarHandleOp:4 VarIsInitializedOp:4"
    ),
    "sgd_mom": (
        "AddV2:1 AssignAddVariableOp:1 AssignVariableOp:11 Const:16 Identity:8 IdentityN:1 "
        "Maximum:2 Minimum:1 Mul:1 NoOp:1 ReadVariableOp:15 RealDiv:1 ResourceApplyKerasMomentum:6 "
        "Sqrt:1 Square:1 Sum:1 VarHandleOp:10 VarIsInitializedOp:10"
    ),
}
# fmt: on


def _model():
    start = np.arange(12).reshape(6, 2) / 4 + 1
    return tf.keras.Sequential(
        [
            tf.keras.layers.Embedding(
                6, 2, input_length=2, embeddings_initializer=tf.keras.initializers.Constant(start)
            ),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(
                1,
                kernel_initializer=tf.keras.initializers.Constant([[0.5], [-0.25], [0.75], [0.1]]),
            ),
        ]
    )


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_embedding_model_trains_as_tf_keras(name):
    with tf.Graph().as_default() as graph:
        model = _model()
        model.compile(OPTIMIZERS[name](), "mse")
        for x, y in zip(XS, YS, strict=True):
            model.train_on_batch(x, y)
        embeddings, kernel, _ = model.get_weights()
    np.testing.assert_allclose(embeddings.ravel(), EXPECTED[name][0], rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(kernel.ravel(), EXPECTED[name][1], rtol=1e-4, atol=1e-6)
    scope = f"training/{model.optimizer._name}/"
    types = collections.Counter(
        op.type
        for op in graph.get_operations()
        if op.name.startswith(scope) and not op.name.startswith(scope + "gradients/")
    )
    assert " ".join(f"{t}:{n}" for t, n in sorted(types.items())) == TYPES[name]


def test_a_loss_scale_optimizer_scales_the_embeddings_rows():
    # An IndexedSlices gradient unscaled as TF's (its values), the step taken on its rows: a
    # fixed power-of-two scale leaves the numbers of the optimizer it wraps.
    with tf.Graph().as_default():
        model = _model()
        inner = K.Nadam(0.1)
        model.compile(tf.keras.mixed_precision.LossScaleOptimizer(inner, False, 8.0), "mse")
        for x, y in zip(XS, YS, strict=True):
            model.train_on_batch(x, y)
        embeddings = model.get_weights()[0]
    np.testing.assert_allclose(embeddings.ravel(), EXPECTED["nadam"][0], rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_a_constrained_dense_model_with_batch_norm_trains_as_tf_keras(name):
    # Dense gradients only: tf_keras's all-reduce (Identity, IdentityN) of the four weights'
    # and the moving statistics' updates, the kernel's MaxNorm projection after its step.
    with tf.Graph().as_default() as graph:
        start = np.arange(4).reshape(2, 2) / 4 + 1
        model = tf.keras.Sequential(
            [
                tf.keras.layers.Dense(
                    2,
                    input_shape=(2,),
                    kernel_initializer=tf.keras.initializers.Constant(start),
                    kernel_constraint=tf.keras.constraints.MaxNorm(1.5),
                ),
                tf.keras.layers.BatchNormalization(),
                tf.keras.layers.Flatten(),
                tf.keras.layers.Dense(
                    1, kernel_initializer=tf.keras.initializers.Constant([[0.5], [-0.25]])
                ),
            ]
        )
        model.compile(OPTIMIZERS[name](), "mse")
        for x, y in zip(XS, YS, strict=True):
            model.train_on_batch(x.astype(np.float32), y)
        weights = model.get_weights()
    np.testing.assert_allclose(weights[0].ravel(), DENSE_EXPECTED[name][0], rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(weights[1], DENSE_EXPECTED[name][1], rtol=1e-4, atol=1e-6)
    scope = f"training/{model.optimizer._name}/"
    types = collections.Counter(
        op.type
        for op in graph.get_operations()
        if op.name.startswith(scope) and not op.name.startswith(scope + "gradients/")
    )
    assert " ".join(f"{t}:{n}" for t, n in sorted(types.items())) == DENSE_TYPES[name]
