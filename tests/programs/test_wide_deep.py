"""A wide-and-deep model from feature columns over a tf.data one-shot iterator: numeric,
vocabulary-list, hash-bucket, bucketized and crossed columns in linear_model, indicator and
embedding columns in input_layer under tf.layers.dense, FTRL for the wide part and Adagrad for
the deep part (the graph DNNLinearCombinedClassifier builds; TF 2.21 has no tf.estimator to run).

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    rng = np.random.RandomState(6)
    n = 16
    data = {
        "age": rng.randint(18, 70, n).astype(np.float32),
        "hours": rng.rand(n).astype(np.float32) * 40,
        "education": np.array(["Bachelors", "Masters", "HS-grad", "Doctorate"] * 4),
        "occupation": np.array(["a", "b", "c", "d", "e", "f", "g", "h"] * 2),
    }
    labels = (data["age"] > 40).astype(np.float32).reshape(-1, 1)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(4)
        ds = tf.data.Dataset.from_tensor_slices((dict(data), labels))
        ds = ds.batch(8).repeat(2)
        features, y = ds.make_one_shot_iterator().get_next()
        age = tf.feature_column.numeric_column("age")
        hours = tf.feature_column.numeric_column("hours")
        education = tf.feature_column.categorical_column_with_vocabulary_list(
            "education", ["Bachelors", "Masters", "HS-grad", "Doctorate"]
        )
        occupation = tf.feature_column.categorical_column_with_hash_bucket("occupation", 5)
        age_buckets = tf.feature_column.bucketized_column(age, [30, 40, 50])
        crossed = tf.feature_column.crossed_column(["education", "occupation"], 7)
        wide = [education, occupation, age_buckets, crossed]
        deep = [
            age,
            hours,
            tf.feature_column.indicator_column(education),
            tf.feature_column.embedding_column(occupation, dimension=2),
        ]
        with tf.variable_scope("linear"):
            wide_logits = tf.feature_column.linear_model(features, wide)
        with tf.variable_scope("dnn"):
            net = tf.feature_column.input_layer(features, deep)
            for i, units in enumerate([4, 3]):
                net = tf.layers.dense(net, units, tf.nn.relu, name=f"hiddenlayer_{i}")
            deep_logits = tf.layers.dense(net, 1, name="logits")
        logits = wide_logits + deep_logits
        loss = tf.losses.sigmoid_cross_entropy(y, logits)
        step = tf.train.get_or_create_global_step()
        linear_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, "linear")
        dnn_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, "dnn")
        train = tf.group(
            tf.train.FtrlOptimizer(0.1).minimize(loss, var_list=linear_vars),
            tf.train.AdagradOptimizer(0.05).minimize(loss, var_list=dnn_vars),
            tf.assign_add(step, 1),
        )
        with tf.Session() as sess:
            sess.run([tf.global_variables_initializer(), tf.tables_initializer()])
            losses = []
            for _ in range(4):
                _, lv = sess.run([train, loss])
                losses.append(float(lv))
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "names": [wide_logits.name, net.name, logits.name, loss.name],
            "losses": losses,
        }


EXPECTED = {
    "vars": [
        ["linear/linear_model/age_bucketized/weights:0", [4, 1]],
        ["linear/linear_model/education/weights:0", [4, 1]],
        ["linear/linear_model/education_X_occupation/weights:0", [7, 1]],
        ["linear/linear_model/occupation/weights:0", [5, 1]],
        ["linear/linear_model/bias_weights:0", [1]],
        ["dnn/input_layer/occupation_embedding/embedding_weights:0", [5, 2]],
        ["dnn/hiddenlayer_0/kernel:0", [8, 4]],
        ["dnn/hiddenlayer_0/bias:0", [4]],
        ["dnn/hiddenlayer_1/kernel:0", [4, 3]],
        ["dnn/hiddenlayer_1/bias:0", [3]],
        ["dnn/logits/kernel:0", [3, 1]],
        ["dnn/logits/bias:0", [1]],
        ["global_step:0", []],
        ["linear/linear_model/age_bucketized/weights/Ftrl:0", [4, 1]],
        ["linear/linear_model/age_bucketized/weights/Ftrl_1:0", [4, 1]],
        ["linear/linear_model/education/weights/Ftrl:0", [4, 1]],
        ["linear/linear_model/education/weights/Ftrl_1:0", [4, 1]],
        ["linear/linear_model/education_X_occupation/weights/Ftrl:0", [7, 1]],
        ["linear/linear_model/education_X_occupation/weights/Ftrl_1:0", [7, 1]],
        ["linear/linear_model/occupation/weights/Ftrl:0", [5, 1]],
        ["linear/linear_model/occupation/weights/Ftrl_1:0", [5, 1]],
        ["linear/linear_model/bias_weights/Ftrl:0", [1]],
        ["linear/linear_model/bias_weights/Ftrl_1:0", [1]],
        ["dnn/input_layer/occupation_embedding/embedding_weights/Adagrad:0", [5, 2]],
        ["dnn/hiddenlayer_0/kernel/Adagrad:0", [8, 4]],
        ["dnn/hiddenlayer_0/bias/Adagrad:0", [4]],
        ["dnn/hiddenlayer_1/kernel/Adagrad:0", [4, 3]],
        ["dnn/hiddenlayer_1/bias/Adagrad:0", [3]],
        ["dnn/logits/kernel/Adagrad:0", [3, 1]],
        ["dnn/logits/bias/Adagrad:0", [1]],
    ],
    "names": [
        "linear/linear_model_1/linear_model/weighted_sum:0",
        "dnn/hiddenlayer_1/Relu:0",
        "add:0",
        "sigmoid_cross_entropy_loss/value:0",
    ],
    "losses": [0.6931471824645996, 0.6699922680854797, 0.629440426826477, 0.61149001121521],
}


def test_wide_deep_matches_tensorflow():
    close(program(tf), EXPECTED)


def test_one_shot_iterator_draws_a_seed_as_tensorflow_does():
    # TF 2.21 gives the next unseeded random op seed2=1 after a one-shot iterator, 0 after an
    # initializable one
    for make, seed2 in (
        (lambda d: d.make_one_shot_iterator(), 1),
        (lambda d: d.make_initializable_iterator(), 0),
    ):
        with tf.Graph().as_default():
            tf.set_random_seed(4)
            make(tf.data.Dataset.range(4))
            assert tf.random_uniform([2]).op.get_attr("seed2") == seed2
