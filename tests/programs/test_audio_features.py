"""A keyword-spotting style audio model: tf.signal.stft, a mel weight matrix through tensordot,
log-mel MFCCs and their deltas, framed energies under a Hann window, conv1d over time with a
max pool and Adam; then inverse_stft with inverse_stft_window_fn and a DCT/IDCT round trip.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(2)
    t = np.arange(4000) / 8000.0
    waves = np.stack([np.sin(2 * np.pi * f * t) for f in (440.0, 880.0, 300.0, 1200.0)])
    waves = (waves + 0.05 * rng.randn(*waves.shape)).astype(np.float32)
    labels = np.array([0, 1, 0, 1], np.int64)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(3)
        audio = tf.placeholder(tf.float32, [None, 4000], name="audio")
        stft = tf.signal.stft(audio, frame_length=256, frame_step=128, fft_length=256)
        spec = tf.abs(stft)
        mel = tf.signal.linear_to_mel_weight_matrix(40, 129, 8000, 60.0, 3800.0)
        mel_spec = tf.tensordot(spec, mel, 1)
        mel_spec.set_shape(spec.shape[:-1].concatenate(mel.shape[-1:]))
        log_mel = tf.log(mel_spec + 1e-6)
        mfcc = tf.signal.mfccs_from_log_mel_spectrograms(log_mel)[..., :13]
        frames = tf.signal.frame(audio, 400, 160, pad_end=True)
        window = tf.signal.hann_window(400)
        energy = tf.reduce_sum(tf.square(frames * window), -1)
        delta = mfcc[:, 1:] - mfcc[:, :-1]
        feats = tf.concat([mfcc[:, 1:], delta], -1)
        h = tf.layers.conv1d(feats, 8, 3, activation=tf.nn.relu, name="conv")
        pooled = tf.reduce_max(h, 1)
        logits = tf.layers.dense(pooled, 2, name="out")
        loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
        train = tf.train.AdamOptimizer(0.01).minimize(loss)
        inv = tf.signal.inverse_stft(
            stft, 256, 128, 256, window_fn=tf.signal.inverse_stft_window_fn(128)
        )
        dct = tf.signal.dct(log_mel[:, :2, :8], type=2, norm="ortho")
        idct = tf.signal.idct(dct, type=2, norm="ortho")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            fd = {audio: waves}
            m, e, s, r = sess.run([mfcc, energy, spec, inv], fd)
            d, i2 = sess.run([dct, idct], fd)
            losses = [float(sess.run([train, loss], fd)[1]) for _ in range(4)]
        return {
            "shapes": [
                t.shape.as_list() for t in (stft, spec, mel, mel_spec, mfcc, frames, feats, h, inv)
            ],
            "names": [t.name for t in (stft, mfcc, frames, energy, logits, inv, dct)],
            "mfcc": [float(v) for v in m[0, 3, :5]] + [float(m.sum())],
            "energy": [float(v) for v in e[1, :4]],
            "spec": [float(v) for v in s[2, 5, 30:34]],
            "inverse": [float(v) for v in r[0, 300:304]] + [float(np.abs(r).sum())],
            "dct": [float(v) for v in d.ravel()[:4]] + [float(np.abs(i2).sum())],
            "losses": losses,
        }


EXPECTED = {
    "shapes": [
        [None, 30, 129],
        [None, 30, 129],
        [129, 40],
        [None, 30, 40],
        [None, 30, 13],
        [None, 25, 400],
        [None, 29, 26],
        [None, 27, 8],
        [None, 3968],
    ],
    "names": [
        "stft/rfft:0",
        "strided_slice:0",
        "frame/Reshape_4:0",
        "Sum:0",
        "out/BiasAdd:0",
        "inverse_stft/overlap_and_add/strided_slice_4:0",
        "dct/mul_6:0",
    ],
    "mfcc": [
        3.271122932434082,
        -1.3281067609786987,
        0.9180051684379578,
        -2.054750442504883,
        -3.241459369659424,
        -249.2950439453125,
    ],
    "energy": [75.03911590576172, 75.12091064453125, 75.41519165039062, 75.65576934814453],
    "spec": [0.3653016686439514, 0.2640089690685272, 0.7028402090072632, 0.5434240102767944],
    "inverse": [
        0.043541956692934036,
        -0.30909764766693115,
        -0.6923888325691223,
        -0.8948185443878174,
        9787.564453125,
    ],
    "dct": [
        -1.5364489555358887,
        -1.3270032405853271,
        2.389143705368042,
        -1.5563944578170776,
        68.0665512084961,
    ],
    "losses": [2.8352084159851074, 1.8857518434524536, 1.1332305669784546, 0.523442804813385],
}


def test_audio_features_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
