"""TensorFlow-Examples' autoencoder.py and gan.py, run unchanged (sized down to 8x8
images): the autoencoder's encoder/decoder from a weights/biases dict of random_normal
Variables with sigmoid layers, a mean pow(·, 2) loss, RMSProp, display_step prints and
reconstructions; the GAN's glorot_init (random_normal with stddev 1/sqrt(fan_in/2)),
generator and discriminator on shared dict weights, the discriminator applied to real and
generated images, explicit gen_vars/disc_vars var_lists for two Adam optimizers, NumPy
uniform noise, printed losses and generated samples (the two updates in two runs: in one
run, as the script has them, TF's results vary from run to run). Printed lines, names and
numbers were printed by the same scripts under TensorFlow 2.21 (``tensorflow.compat.v1``,
v2 behaviour disabled)."""

import contextlib
import io

import numpy as np

import scopeflow as tf
from tests.programs.compare import close
from tests.programs.ex_mnist import read_data_sets
from tests.programs.test_ex_regression_examples import tokens


def autoencoder(tf):
    mnist = read_data_sets(one_hot=True)
    learning_rate = 0.01
    num_steps = 30
    batch_size = 24
    display_step = 10
    num_hidden_1 = 32
    num_hidden_2 = 16
    num_input = 64
    tf.set_random_seed(41)
    X = tf.placeholder("float", [None, num_input])
    weights = {
        "encoder_h1": tf.Variable(tf.random_normal([num_input, num_hidden_1])),
        "encoder_h2": tf.Variable(tf.random_normal([num_hidden_1, num_hidden_2])),
        "decoder_h1": tf.Variable(tf.random_normal([num_hidden_2, num_hidden_1])),
        "decoder_h2": tf.Variable(tf.random_normal([num_hidden_1, num_input])),
    }
    biases = {
        "encoder_b1": tf.Variable(tf.random_normal([num_hidden_1])),
        "encoder_b2": tf.Variable(tf.random_normal([num_hidden_2])),
        "decoder_b1": tf.Variable(tf.random_normal([num_hidden_1])),
        "decoder_b2": tf.Variable(tf.random_normal([num_input])),
    }

    def encoder(x):
        layer_1 = tf.nn.sigmoid(tf.add(tf.matmul(x, weights["encoder_h1"]), biases["encoder_b1"]))
        layer_2 = tf.nn.sigmoid(
            tf.add(tf.matmul(layer_1, weights["encoder_h2"]), biases["encoder_b2"])
        )
        return layer_2

    def decoder(x):
        layer_1 = tf.nn.sigmoid(tf.add(tf.matmul(x, weights["decoder_h1"]), biases["decoder_b1"]))
        layer_2 = tf.nn.sigmoid(
            tf.add(tf.matmul(layer_1, weights["decoder_h2"]), biases["decoder_b2"])
        )
        return layer_2

    encoder_op = encoder(X)
    decoder_op = decoder(encoder_op)
    y_pred = decoder_op
    y_true = X
    loss = tf.reduce_mean(tf.pow(y_true - y_pred, 2))
    optimizer = tf.train.RMSPropOptimizer(learning_rate).minimize(loss)
    init = tf.global_variables_initializer()
    with tf.Session() as sess:
        sess.run(init)
        for i in range(1, num_steps + 1):
            batch_x, _ = mnist.train.next_batch(batch_size)
            _, loss_val = sess.run([optimizer, loss], feed_dict={X: batch_x})
            if i % display_step == 0 or i == 1:
                print(f"Step {i}: Minibatch Loss: {loss_val:f}")
        batch_x, _ = mnist.test.next_batch(4)
        g = sess.run(decoder_op, feed_dict={X: batch_x})
        slots = [v.name for v in tf.global_variables() if "RMSProp" in v.name][:4]
    return {
        "names": [encoder_op.name, decoder_op.name, loss.name, optimizer.name, slots],
        "reconstructed": g[:, :6].tolist(),
    }


def gan(tf):
    mnist = read_data_sets(one_hot=True)
    rng = np.random.RandomState(6)
    num_steps = 12
    batch_size = 16
    learning_rate = 0.002
    image_dim = 64
    gen_hidden_dim = 32
    disc_hidden_dim = 32
    noise_dim = 10
    tf.set_random_seed(42)

    def glorot_init(shape):
        return tf.random_normal(shape=shape, stddev=1.0 / tf.sqrt(shape[0] / 2.0))

    weights = {
        "gen_hidden1": tf.Variable(glorot_init([noise_dim, gen_hidden_dim])),
        "gen_out": tf.Variable(glorot_init([gen_hidden_dim, image_dim])),
        "disc_hidden1": tf.Variable(glorot_init([image_dim, disc_hidden_dim])),
        "disc_out": tf.Variable(glorot_init([disc_hidden_dim, 1])),
    }
    biases = {
        "gen_hidden1": tf.Variable(tf.zeros([gen_hidden_dim])),
        "gen_out": tf.Variable(tf.zeros([image_dim])),
        "disc_hidden1": tf.Variable(tf.zeros([disc_hidden_dim])),
        "disc_out": tf.Variable(tf.zeros([1])),
    }

    def generator(x):
        hidden_layer = tf.matmul(x, weights["gen_hidden1"])
        hidden_layer = tf.add(hidden_layer, biases["gen_hidden1"])
        hidden_layer = tf.nn.relu(hidden_layer)
        out_layer = tf.matmul(hidden_layer, weights["gen_out"])
        out_layer = tf.add(out_layer, biases["gen_out"])
        out_layer = tf.nn.sigmoid(out_layer)
        return out_layer

    def discriminator(x):
        hidden_layer = tf.matmul(x, weights["disc_hidden1"])
        hidden_layer = tf.add(hidden_layer, biases["disc_hidden1"])
        hidden_layer = tf.nn.relu(hidden_layer)
        out_layer = tf.matmul(hidden_layer, weights["disc_out"])
        out_layer = tf.add(out_layer, biases["disc_out"])
        out_layer = tf.nn.sigmoid(out_layer)
        return out_layer

    gen_input = tf.placeholder(tf.float32, shape=[None, noise_dim], name="input_noise")
    disc_input = tf.placeholder(tf.float32, shape=[None, image_dim], name="disc_input")
    gen_sample = generator(gen_input)
    disc_real = discriminator(disc_input)
    disc_fake = discriminator(gen_sample)
    gen_loss = -tf.reduce_mean(tf.log(disc_fake))
    disc_loss = -tf.reduce_mean(tf.log(disc_real) + tf.log(1.0 - disc_fake))
    optimizer_gen = tf.train.AdamOptimizer(learning_rate=learning_rate)
    optimizer_disc = tf.train.AdamOptimizer(learning_rate=learning_rate)
    gen_vars = [
        weights["gen_hidden1"],
        weights["gen_out"],
        biases["gen_hidden1"],
        biases["gen_out"],
    ]
    disc_vars = [
        weights["disc_hidden1"],
        weights["disc_out"],
        biases["disc_hidden1"],
        biases["disc_out"],
    ]
    train_gen = optimizer_gen.minimize(gen_loss, var_list=gen_vars)
    train_disc = optimizer_disc.minimize(disc_loss, var_list=disc_vars)
    init = tf.global_variables_initializer()
    with tf.Session() as sess:
        sess.run(init)
        for i in range(1, num_steps + 1):
            batch_x, _ = mnist.train.next_batch(batch_size)
            z = rng.uniform(-1.0, 1.0, size=[batch_size, noise_dim])
            feed_dict = {disc_input: batch_x, gen_input: z}
            # the script runs [train_gen, train_disc, gen_loss, disc_loss] at once; there each
            # Adam update races the other's gradient reads, and TF 2.21's numbers vary from
            # run to run: here the two updates run one after the other
            _, dl = sess.run([train_disc, disc_loss], feed_dict=feed_dict)
            _, gl = sess.run([train_gen, gen_loss], feed_dict=feed_dict)
            if i % 4 == 0 or i == 1:
                print(f"Step {i}: Generator Loss: {gl:f}, Discriminator Loss: {dl:f}")
        z = rng.uniform(-1.0, 1.0, size=[3, noise_dim])
        g = sess.run(gen_sample, feed_dict={gen_input: z})
    return {
        "names": [gen_sample.name, disc_fake.name, gen_loss.name, disc_loss.name],
        "ops": [train_gen.name, train_disc.name],
        "vars": [v.name for v in tf.global_variables()],
        "generated": g[:, :6].tolist(),
    }


def program(tf, workdir):
    out = {}
    for name, script in [("autoencoder", autoencoder), ("gan", gan)]:
        printed = io.StringIO()
        with tf.Graph().as_default(), contextlib.redirect_stdout(printed):
            out[name] = script(tf)
        out[name]["printed"] = tokens(printed.getvalue())
    return out


EXPECTED = {
    "autoencoder": {
        "names": [
            "Sigmoid_1:0",
            "Sigmoid_3:0",
            "Mean:0",
            "RMSProp",
            [
                "Variable/RMSProp:0",
                "Variable/RMSProp_1:0",
                "Variable_1/RMSProp:0",
                "Variable_1/RMSProp_1:0",
            ],
        ],
        "reconstructed": [
            [
                0.03520165756344795,
                0.9404630661010742,
                0.07747931033372879,
                0.5858373641967773,
                0.1634894758462906,
                0.01923024281859398,
            ],
            [
                0.01169606950134039,
                0.9651666879653931,
                0.16845053434371948,
                0.7868362069129944,
                0.2544509470462799,
                0.011603317223489285,
            ],
            [
                0.018223503604531288,
                0.968208909034729,
                0.13618968427181244,
                0.5694106221199036,
                0.28577089309692383,
                0.011876074597239494,
            ],
            [
                0.003428839612752199,
                0.9347059726715088,
                0.0612528957426548,
                0.8068363070487976,
                0.05470594763755798,
                0.008784018456935883,
            ],
        ],
        "printed": [
            ["Step", "1:", "Minibatch", "Loss:", 0.244819],
            ["Step", "10:", "Minibatch", "Loss:", 0.245374],
            ["Step", "20:", "Minibatch", "Loss:", 0.245122],
            ["Step", "30:", "Minibatch", "Loss:", 0.244694],
        ],
    },
    "gan": {
        "names": ["Sigmoid:0", "Sigmoid_2:0", "Neg:0", "Neg_1:0"],
        "ops": ["Adam", "Adam_1"],
        "vars": [
            "Variable:0",
            "Variable_1:0",
            "Variable_2:0",
            "Variable_3:0",
            "Variable_4:0",
            "Variable_5:0",
            "Variable_6:0",
            "Variable_7:0",
            "beta1_power:0",
            "beta2_power:0",
            "Variable/Adam:0",
            "Variable/Adam_1:0",
            "Variable_1/Adam:0",
            "Variable_1/Adam_1:0",
            "Variable_4/Adam:0",
            "Variable_4/Adam_1:0",
            "Variable_5/Adam:0",
            "Variable_5/Adam_1:0",
            "beta1_power_1:0",
            "beta2_power_1:0",
            "Variable_2/Adam:0",
            "Variable_2/Adam_1:0",
            "Variable_3/Adam:0",
            "Variable_3/Adam_1:0",
            "Variable_6/Adam:0",
            "Variable_6/Adam_1:0",
            "Variable_7/Adam:0",
            "Variable_7/Adam_1:0",
        ],
        "generated": [
            [
                0.7978088855743408,
                0.13908685743808746,
                0.7964390516281128,
                0.33674678206443787,
                0.30475497245788574,
                0.4231903851032257,
            ],
            [
                0.6684072017669678,
                0.48690125346183777,
                0.6812399625778198,
                0.3445577025413513,
                0.387094646692276,
                0.5053306221961975,
            ],
            [
                0.7154436111450195,
                0.8656081557273865,
                0.9049087166786194,
                0.3699706196784973,
                0.6306425333023071,
                0.43628621101379395,
            ],
        ],
        "printed": [
            ["Step", "1:", "Generator", "Loss:", 0.530028, "Discriminator", "Loss:", 1.417735],
            ["Step", "4:", "Generator", "Loss:", 0.677662, "Discriminator", "Loss:", 1.424122],
            ["Step", "8:", "Generator", "Loss:", 0.823982, "Discriminator", "Loss:", 1.364044],
            ["Step", "12:", "Generator", "Loss:", 0.806806, "Discriminator", "Loss:", 1.390721],
        ],
    },
}


def test_autoencoder_and_gan_match_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
