"""pix2pix as affinelayer's TF1 port built it: a U-Net generator (tf.layers conv2d with stride 2,
batch_normalization in training mode with gamma drawn from N(1, 0.02), leaky ReLU, dropout in the
decoder, conv2d_transpose, skip connections by concat, tanh), a PatchGAN discriminator on the
input and target concatenated (explicit tf.pad then VALID convolutions), the discriminator's
Adam step under its name scope and the generator's computed and applied under a control
dependency on it, ExponentialMovingAverage.apply on the three loss *tensors* (zero-debiased
shadows), the global step incremented by tf.assign, all grouped into one train op; then
deprocessed outputs converted to uint8 and PNG-encoded with tf.map_fn.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    rng = np.random.RandomState(91)
    inputs_np = rng.rand(2, 8, 8, 3).astype(np.float32) * 2 - 1
    targets_np = np.tanh(inputs_np[..., ::-1] * 1.5)
    ngf, ndf, eps = 2, 2, 1e-12
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(92)
        initializer = tf.random_normal_initializer(0, 0.02)
        inputs = tf.placeholder(tf.float32, [None, 8, 8, 3], name="inputs")
        targets = tf.placeholder(tf.float32, [None, 8, 8, 3], name="targets")

        def lrelu(x, a):
            with tf.name_scope("lrelu"):
                x = tf.identity(x)
                return (0.5 * (1 + a)) * x + (0.5 * (1 - a)) * tf.abs(x)

        def batchnorm(x):
            return tf.layers.batch_normalization(
                x,
                axis=3,
                epsilon=1e-5,
                momentum=0.1,
                training=True,
                gamma_initializer=tf.random_normal_initializer(1.0, 0.02),
            )

        def gen_conv(x, channels):
            return tf.layers.conv2d(
                x, channels, 4, strides=(2, 2), padding="same", kernel_initializer=initializer
            )

        def gen_deconv(x, channels):
            return tf.layers.conv2d_transpose(
                x, channels, 4, strides=(2, 2), padding="same", kernel_initializer=initializer
            )

        def discrim_conv(x, channels, stride):
            padded = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="CONSTANT")
            return tf.layers.conv2d(
                padded,
                channels,
                4,
                strides=(stride, stride),
                padding="valid",
                kernel_initializer=initializer,
            )

        def create_generator(generator_inputs, outputs_channels):
            layers = []
            with tf.variable_scope("encoder_1"):
                layers.append(gen_conv(generator_inputs, ngf))
            for channels in [ngf * 2, ngf * 4]:
                with tf.variable_scope(f"encoder_{len(layers) + 1}"):
                    rectified = lrelu(layers[-1], 0.2)
                    layers.append(batchnorm(gen_conv(rectified, channels)))
            decoder_specs = [(ngf * 2, 0.5), (ngf, 0.0)]
            num_encoder = len(layers)
            for decoder_layer, (channels, dropout) in enumerate(decoder_specs):
                skip_layer = num_encoder - decoder_layer - 1
                with tf.variable_scope(f"decoder_{skip_layer + 1}"):
                    inp = (
                        layers[-1]
                        if decoder_layer == 0
                        else tf.concat([layers[-1], layers[skip_layer]], axis=3)
                    )
                    rectified = tf.nn.relu(inp)
                    output = batchnorm(gen_deconv(rectified, channels))
                    if dropout > 0.0:
                        output = tf.nn.dropout(output, keep_prob=1 - dropout, seed=5)
                    layers.append(output)
            with tf.variable_scope("decoder_1"):
                inp = tf.concat([layers[-1], layers[0]], axis=3)
                output = tf.tanh(gen_deconv(tf.nn.relu(inp), outputs_channels))
                layers.append(output)
            return layers[-1]

        def create_discriminator(discrim_inputs, discrim_targets):
            x = tf.concat([discrim_inputs, discrim_targets], axis=3)
            with tf.variable_scope("layer_1"):
                x = lrelu(discrim_conv(x, ndf, 2), 0.2)
            with tf.variable_scope("layer_2"):
                x = lrelu(batchnorm(discrim_conv(x, ndf * 2, 1)), 0.2)
            with tf.variable_scope("layer_3"):
                return tf.sigmoid(discrim_conv(x, 1, 1))

        with tf.variable_scope("generator"):
            outputs = create_generator(inputs, 3)
        with tf.name_scope("real_discriminator"):
            with tf.variable_scope("discriminator"):
                predict_real = create_discriminator(inputs, targets)
        with tf.name_scope("fake_discriminator"):
            with tf.variable_scope("discriminator", reuse=True):
                predict_fake = create_discriminator(inputs, outputs)
        with tf.name_scope("discriminator_loss"):
            discrim_loss = tf.reduce_mean(
                -(tf.log(predict_real + eps) + tf.log(1 - predict_fake + eps))
            )
        with tf.name_scope("generator_loss"):
            gen_loss_GAN = tf.reduce_mean(-tf.log(predict_fake + eps))
            gen_loss_L1 = tf.reduce_mean(tf.abs(targets - outputs))
            gen_loss = gen_loss_GAN * 1.0 + gen_loss_L1 * 100.0
        with tf.name_scope("discriminator_train"):
            discrim_tvars = [
                v for v in tf.trainable_variables() if v.name.startswith("discriminator")
            ]
            discrim_optim = tf.train.AdamOptimizer(0.0002, 0.5)
            discrim_gv = discrim_optim.compute_gradients(discrim_loss, var_list=discrim_tvars)
            discrim_train = discrim_optim.apply_gradients(discrim_gv)
        with tf.name_scope("generator_train"):
            with tf.control_dependencies([discrim_train]):
                gen_tvars = [v for v in tf.trainable_variables() if v.name.startswith("generator")]
                gen_optim = tf.train.AdamOptimizer(0.0002, 0.5)
                gen_gv = gen_optim.compute_gradients(gen_loss, var_list=gen_tvars)
                gen_train = gen_optim.apply_gradients(gen_gv)
        ema = tf.train.ExponentialMovingAverage(decay=0.99)
        update_losses = ema.apply([discrim_loss, gen_loss_GAN, gen_loss_L1])
        global_step = tf.train.get_or_create_global_step()
        incr_global_step = tf.assign(global_step, global_step + 1)
        train = tf.group(update_losses, incr_global_step, gen_train)
        averaged = [ema.average(t) for t in (discrim_loss, gen_loss_GAN, gen_loss_L1)]

        def deprocess(image):
            with tf.name_scope("deprocess"):
                return (image + 1) / 2

        converted = tf.image.convert_image_dtype(deprocess(outputs), dtype=tf.uint8, saturate=True)
        pngs = tf.map_fn(tf.image.encode_png, converted, dtype=tf.string, name="output_pngs")
        decoded = tf.map_fn(lambda s: tf.image.decode_png(s, channels=3), pngs, dtype=tf.uint8)
        round_trip = tf.reduce_all(tf.equal(decoded, converted))
        feed = {inputs: inputs_np, targets: targets_np}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            history = []
            for _ in range(3):
                _, losses, avg = sess.run(
                    [train, [discrim_loss, gen_loss_GAN, gen_loss_L1], averaged], feed
                )
                history.append([float(v) for v in losses])
            avg = sess.run(averaged)
            step = sess.run(global_step)
            out_v, ok = sess.run([outputs, round_trip], feed)
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "averages": [t.name for t in averaged],
            "names": [
                outputs.name,
                predict_real.name,
                predict_fake.name,
                discrim_loss.name,
                gen_loss.name,
                train.name,
                pngs.name,
            ],
            "history": history,
            "averaged": [float(v) for v in avg],
            "step": int(step),
            "outputs": out_v[0, :2, :2].tolist(),
            "png_round_trip": bool(ok),
        }


EXPECTED = {
    "vars": [
        ["generator/encoder_1/conv2d/kernel:0", [4, 4, 3, 2]],
        ["generator/encoder_1/conv2d/bias:0", [2]],
        ["generator/encoder_2/conv2d/kernel:0", [4, 4, 2, 4]],
        ["generator/encoder_2/conv2d/bias:0", [4]],
        ["generator/encoder_2/batch_normalization/gamma:0", [4]],
        ["generator/encoder_2/batch_normalization/beta:0", [4]],
        ["generator/encoder_2/batch_normalization/moving_mean:0", [4]],
        ["generator/encoder_2/batch_normalization/moving_variance:0", [4]],
        ["generator/encoder_3/conv2d/kernel:0", [4, 4, 4, 8]],
        ["generator/encoder_3/conv2d/bias:0", [8]],
        ["generator/encoder_3/batch_normalization/gamma:0", [8]],
        ["generator/encoder_3/batch_normalization/beta:0", [8]],
        ["generator/encoder_3/batch_normalization/moving_mean:0", [8]],
        ["generator/encoder_3/batch_normalization/moving_variance:0", [8]],
        ["generator/decoder_3/conv2d_transpose/kernel:0", [4, 4, 4, 8]],
        ["generator/decoder_3/conv2d_transpose/bias:0", [4]],
        ["generator/decoder_3/batch_normalization/gamma:0", [4]],
        ["generator/decoder_3/batch_normalization/beta:0", [4]],
        ["generator/decoder_3/batch_normalization/moving_mean:0", [4]],
        ["generator/decoder_3/batch_normalization/moving_variance:0", [4]],
        ["generator/decoder_2/conv2d_transpose/kernel:0", [4, 4, 2, 8]],
        ["generator/decoder_2/conv2d_transpose/bias:0", [2]],
        ["generator/decoder_2/batch_normalization/gamma:0", [2]],
        ["generator/decoder_2/batch_normalization/beta:0", [2]],
        ["generator/decoder_2/batch_normalization/moving_mean:0", [2]],
        ["generator/decoder_2/batch_normalization/moving_variance:0", [2]],
        ["generator/decoder_1/conv2d_transpose/kernel:0", [4, 4, 3, 4]],
        ["generator/decoder_1/conv2d_transpose/bias:0", [3]],
        ["discriminator/layer_1/conv2d/kernel:0", [4, 4, 6, 2]],
        ["discriminator/layer_1/conv2d/bias:0", [2]],
        ["discriminator/layer_2/conv2d/kernel:0", [4, 4, 2, 4]],
        ["discriminator/layer_2/conv2d/bias:0", [4]],
        ["discriminator/layer_2/batch_normalization/gamma:0", [4]],
        ["discriminator/layer_2/batch_normalization/beta:0", [4]],
        ["discriminator/layer_2/batch_normalization/moving_mean:0", [4]],
        ["discriminator/layer_2/batch_normalization/moving_variance:0", [4]],
        ["discriminator/layer_3/conv2d/kernel:0", [4, 4, 4, 1]],
        ["discriminator/layer_3/conv2d/bias:0", [1]],
        ["discriminator_train/beta1_power:0", []],
        ["discriminator_train/beta2_power:0", []],
        ["discriminator/layer_1/conv2d/kernel/Adam:0", [4, 4, 6, 2]],
        ["discriminator/layer_1/conv2d/kernel/Adam_1:0", [4, 4, 6, 2]],
        ["discriminator/layer_1/conv2d/bias/Adam:0", [2]],
        ["discriminator/layer_1/conv2d/bias/Adam_1:0", [2]],
        ["discriminator/layer_2/conv2d/kernel/Adam:0", [4, 4, 2, 4]],
        ["discriminator/layer_2/conv2d/kernel/Adam_1:0", [4, 4, 2, 4]],
        ["discriminator/layer_2/conv2d/bias/Adam:0", [4]],
        ["discriminator/layer_2/conv2d/bias/Adam_1:0", [4]],
        ["discriminator/layer_2/batch_normalization/gamma/Adam:0", [4]],
        ["discriminator/layer_2/batch_normalization/gamma/Adam_1:0", [4]],
        ["discriminator/layer_2/batch_normalization/beta/Adam:0", [4]],
        ["discriminator/layer_2/batch_normalization/beta/Adam_1:0", [4]],
        ["discriminator/layer_3/conv2d/kernel/Adam:0", [4, 4, 4, 1]],
        ["discriminator/layer_3/conv2d/kernel/Adam_1:0", [4, 4, 4, 1]],
        ["discriminator/layer_3/conv2d/bias/Adam:0", [1]],
        ["discriminator/layer_3/conv2d/bias/Adam_1:0", [1]],
        ["generator_train/beta1_power:0", []],
        ["generator_train/beta2_power:0", []],
        ["generator/encoder_1/conv2d/kernel/Adam:0", [4, 4, 3, 2]],
        ["generator/encoder_1/conv2d/kernel/Adam_1:0", [4, 4, 3, 2]],
        ["generator/encoder_1/conv2d/bias/Adam:0", [2]],
        ["generator/encoder_1/conv2d/bias/Adam_1:0", [2]],
        ["generator/encoder_2/conv2d/kernel/Adam:0", [4, 4, 2, 4]],
        ["generator/encoder_2/conv2d/kernel/Adam_1:0", [4, 4, 2, 4]],
        ["generator/encoder_2/conv2d/bias/Adam:0", [4]],
        ["generator/encoder_2/conv2d/bias/Adam_1:0", [4]],
        ["generator/encoder_2/batch_normalization/gamma/Adam:0", [4]],
        ["generator/encoder_2/batch_normalization/gamma/Adam_1:0", [4]],
        ["generator/encoder_2/batch_normalization/beta/Adam:0", [4]],
        ["generator/encoder_2/batch_normalization/beta/Adam_1:0", [4]],
        ["generator/encoder_3/conv2d/kernel/Adam:0", [4, 4, 4, 8]],
        ["generator/encoder_3/conv2d/kernel/Adam_1:0", [4, 4, 4, 8]],
        ["generator/encoder_3/conv2d/bias/Adam:0", [8]],
        ["generator/encoder_3/conv2d/bias/Adam_1:0", [8]],
        ["generator/encoder_3/batch_normalization/gamma/Adam:0", [8]],
        ["generator/encoder_3/batch_normalization/gamma/Adam_1:0", [8]],
        ["generator/encoder_3/batch_normalization/beta/Adam:0", [8]],
        ["generator/encoder_3/batch_normalization/beta/Adam_1:0", [8]],
        ["generator/decoder_3/conv2d_transpose/kernel/Adam:0", [4, 4, 4, 8]],
        ["generator/decoder_3/conv2d_transpose/kernel/Adam_1:0", [4, 4, 4, 8]],
        ["generator/decoder_3/conv2d_transpose/bias/Adam:0", [4]],
        ["generator/decoder_3/conv2d_transpose/bias/Adam_1:0", [4]],
        ["generator/decoder_3/batch_normalization/gamma/Adam:0", [4]],
        ["generator/decoder_3/batch_normalization/gamma/Adam_1:0", [4]],
        ["generator/decoder_3/batch_normalization/beta/Adam:0", [4]],
        ["generator/decoder_3/batch_normalization/beta/Adam_1:0", [4]],
        ["generator/decoder_2/conv2d_transpose/kernel/Adam:0", [4, 4, 2, 8]],
        ["generator/decoder_2/conv2d_transpose/kernel/Adam_1:0", [4, 4, 2, 8]],
        ["generator/decoder_2/conv2d_transpose/bias/Adam:0", [2]],
        ["generator/decoder_2/conv2d_transpose/bias/Adam_1:0", [2]],
        ["generator/decoder_2/batch_normalization/gamma/Adam:0", [2]],
        ["generator/decoder_2/batch_normalization/gamma/Adam_1:0", [2]],
        ["generator/decoder_2/batch_normalization/beta/Adam:0", [2]],
        ["generator/decoder_2/batch_normalization/beta/Adam_1:0", [2]],
        ["generator/decoder_1/conv2d_transpose/kernel/Adam:0", [4, 4, 3, 4]],
        ["generator/decoder_1/conv2d_transpose/kernel/Adam_1:0", [4, 4, 3, 4]],
        ["generator/decoder_1/conv2d_transpose/bias/Adam:0", [3]],
        ["generator/decoder_1/conv2d_transpose/bias/Adam_1:0", [3]],
        ["discriminator_loss/Mean/ExponentialMovingAverage:0", []],
        ["generator_loss/Mean/ExponentialMovingAverage:0", []],
        ["generator_loss/Mean_1/ExponentialMovingAverage:0", []],
        ["global_step:0", []],
    ],
    "averages": [
        "discriminator_loss/Mean/ExponentialMovingAverage:0",
        "generator_loss/Mean/ExponentialMovingAverage:0",
        "generator_loss/Mean_1/ExponentialMovingAverage:0",
    ],
    "names": [
        "generator/decoder_1/Tanh:0",
        "real_discriminator/discriminator/layer_3/Sigmoid:0",
        "fake_discriminator/discriminator/layer_3/Sigmoid:0",
        "discriminator_loss/Mean:0",
        "generator_loss/add_1:0",
        "group_deps",
        "output_pngs/TensorArrayStack/TensorArrayGatherV3:0",
    ],
    "history": [
        [1.379501461982727, 0.6863869428634644, 0.5793920159339905],
        [1.376335620880127, 0.687645435333252, 0.5781492590904236],
        [1.373988389968872, 0.6883363723754883, 0.5771721005439758],
    ],
    "averaged": [0.040886059403419495, 0.020418312400579453, 0.017174003645777702],
    "step": 3,
    "outputs": [
        [
            [-0.0009162613423541188, -0.0013887601671740413, -0.0026418929919600487],
            [0.0026346880476921797, 0.011972920969128609, -0.01061924733221531],
        ],
        [
            [0.0006968851666897535, 0.00277278502471745, 0.0017795123858377337],
            [0.0047108787111938, -0.01359196100383997, 0.0056749810464680195],
        ],
    ],
    "png_round_trip": True,
}


def test_pix2pix_matches_tensorflow():
    close(program(tf), EXPECTED)
