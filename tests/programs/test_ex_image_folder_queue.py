"""TensorFlow-Examples' build_an_image_data.py, run unchanged but for the image format:
read_images walks a folder per class (os.walk), turns the paths and labels into tensors,
takes them through tf.train.slice_input_producer(shuffle=True), read_file, decode (PNG files
written by the test where the script has JPEGs, so both frameworks decode the same bytes),
resize_images and scaling to [-1, 1], batched by tf.train.batch (one thread, where the
script has four: their order is not deterministic in TF); a tf.layers conv_net built twice
(training with dropout, reused for testing), Adam, queue runners started in the session,
display prints. Printed lines, names, the batches' labels and losses were printed by the
same script under TensorFlow 2.21 (``tensorflow.compat.v1``, v2 behaviour disabled)."""

import contextlib
import io
import os
import struct
import zlib

import numpy as np

import scopeflow as tf
from tests.programs.compare import close
from tests.programs.test_ex_regression_examples import tokens

N_CLASSES = 3
IMG_HEIGHT = 8
IMG_WIDTH = 8
CHANNELS = 3


def png_bytes(pixels):
    """A minimal RGB PNG file (no filtering) holding ``pixels`` [h, w, 3] uint8."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    h, w, _ = pixels.shape
    raw = b"".join(b"\x00" + pixels[r].tobytes() for r in range(h))
    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def write_dataset(root):
    rng = np.random.RandomState(3)
    for c, name in enumerate(["cats", "dogs", "owls"]):
        os.makedirs(os.path.join(root, name))
        for i in range(6):
            pixels = rng.randint(0, 90, size=(10, 12, 3)).astype(np.uint8)
            pixels[..., c] += 120
            with open(os.path.join(root, name, f"img{i}.png"), "wb") as f:
                f.write(png_bytes(pixels))


def read_images(tf, dataset_path, mode, batch_size):
    imagepaths, labels = list(), list()
    if mode == "folder":
        label = 0
        classes = sorted(os.walk(dataset_path).__next__()[1])
        for c in classes:
            c_dir = os.path.join(dataset_path, c)
            walk = os.walk(c_dir).__next__()
            for sample in sorted(walk[2]):
                if sample.endswith(".png"):
                    imagepaths.append(os.path.join(c_dir, sample))
                    labels.append(label)
            label += 1
    else:
        raise Exception("Unknown mode.")
    imagepaths = tf.convert_to_tensor(imagepaths, dtype=tf.string)
    labels = tf.convert_to_tensor(labels, dtype=tf.int32)
    image, label = tf.train.slice_input_producer([imagepaths, labels], shuffle=True, seed=5)
    image = tf.read_file(image)
    image = tf.image.decode_png(image, channels=CHANNELS)
    image = tf.image.resize_images(image, [IMG_HEIGHT, IMG_WIDTH])
    image = image * 1.0 / 127.5 - 1.0
    X, Y = tf.train.batch(
        [image, label], batch_size=batch_size, capacity=batch_size * 8, num_threads=1
    )
    return X, Y


def build_and_train(tf, dataset_path):
    learning_rate = 0.005
    num_steps = 8
    batch_size = 6
    display_step = 2
    dropout = 0.25
    tf.set_random_seed(61)
    X, Y = read_images(tf, dataset_path, "folder", batch_size)

    def conv_net(x, n_classes, dropout, reuse, is_training):
        with tf.variable_scope("ConvNet", reuse=reuse):
            conv1 = tf.layers.conv2d(x, 8, 3, activation=tf.nn.relu)
            conv1 = tf.layers.max_pooling2d(conv1, 2, 2)
            fc1 = tf.layers.flatten(conv1)
            fc1 = tf.layers.dense(fc1, 16)
            fc1 = tf.layers.dropout(fc1, rate=dropout, training=is_training)
            out = tf.layers.dense(fc1, n_classes)
            out = tf.nn.softmax(out) if not is_training else out
        return out

    logits_train = conv_net(X, N_CLASSES, dropout, reuse=False, is_training=True)
    logits_test = conv_net(X, N_CLASSES, dropout, reuse=True, is_training=False)
    loss_op = tf.reduce_mean(
        tf.nn.sparse_softmax_cross_entropy_with_logits(logits=logits_train, labels=Y)
    )
    optimizer = tf.train.AdamOptimizer(learning_rate=learning_rate)
    train_op = optimizer.minimize(loss_op)
    correct_pred = tf.equal(tf.argmax(logits_test, 1), tf.cast(Y, tf.int64))
    accuracy = tf.reduce_mean(tf.cast(correct_pred, tf.float32))
    init = tf.global_variables_initializer()
    saver = tf.train.Saver()
    seen = []
    with tf.Session() as sess:
        sess.run(init)
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess=sess, coord=coord)
        for step in range(1, num_steps + 1):
            if step % display_step == 0:
                _, loss, acc, y = sess.run([train_op, loss_op, accuracy, Y])
                seen.append(y.tolist())
                print(
                    "Step " + str(step) + ", Minibatch Loss= " + f"{loss:.4f}"
                    ", Training Accuracy= " + f"{acc:.3f}"
                )
            else:
                _, y = sess.run([train_op, Y])
                seen.append(y.tolist())
        print("Optimization Finished!")
        saver.save(sess, os.path.join(os.path.dirname(dataset_path), "my_tf_model"))
        coord.request_stop()
        coord.join(threads)
    return {
        "names": [X.name, Y.name, logits_train.name, logits_test.name, loss_op.name],
        "shapes": [X.shape.as_list(), Y.shape.as_list()],
        "queue_runners": [qr.queue.name for qr in tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)],
        "labels": seen,
    }


def program(tf, workdir):
    root = os.path.join(str(workdir), "images")
    write_dataset(root)
    printed = io.StringIO()
    with tf.Graph().as_default(), contextlib.redirect_stdout(printed):
        out = build_and_train(tf, root)
    out["printed"] = tokens(printed.getvalue())
    return out


EXPECTED = {
    "names": ["batch:0", "batch:1", "ConvNet/dense_1/BiasAdd:0", "ConvNet_1/Softmax:0", "Mean:0"],
    "shapes": [[6, 8, 8, 3], [6]],
    "queue_runners": ["input_producer/input_producer", "batch/fifo_queue"],
    "labels": [
        [2, 1, 1, 0, 2, 0],
        [1, 2, 2, 1, 0, 1],
        [1, 0, 0, 0, 2, 2],
        [0, 0, 1, 2, 1, 1],
        [0, 2, 0, 1, 1, 1],
        [2, 0, 2, 0, 2, 2],
        [2, 2, 1, 0, 1, 2],
        [0, 0, 0, 2, 0, 2],
    ],
    "printed": [
        ["Step", 2.0, "Minibatch", "Loss=", 0.7238, "Training", "Accuracy=", 0.833],
        ["Step", 4.0, "Minibatch", "Loss=", 0.4787, "Training", "Accuracy=", 1.0],
        ["Step", 6.0, "Minibatch", "Loss=", 0.476, "Training", "Accuracy=", 1.0],
        ["Step", 8.0, "Minibatch", "Loss=", 0.2589, "Training", "Accuracy=", 1.0],
        ["Optimization", "Finished!"],
    ],
}


def test_image_folder_queue_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
