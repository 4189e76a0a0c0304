"""A mixture density network on tf.distributions: tf.layers.dense heads for Categorical logits,
Normal locations and softplus scales, the mixture's negative log-likelihood through
reduce_logsumexp, a KL term from kl_divergence, Adam; then entropies, statistics (mean, variance,
log_prob, cdf, quantile, survival_function) and seeded samples of Bernoulli, Beta, Gamma, StudentT,
Laplace, Uniform, Dirichlet, Multinomial and Exponential.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def flat(a):
    return [float(v) for v in np.asarray(a).ravel()[:4]]


def program(tf, workdir):
    tfd = tf.distributions
    rng = np.random.RandomState(5)
    xs = rng.uniform(-1, 1, (16, 1)).astype(np.float32)
    ys = (np.sin(3 * xs) + 0.1 * rng.randn(16, 1)).astype(np.float32)
    k = 3
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(7)
        x = tf.placeholder(tf.float32, [None, 1], name="x")
        y = tf.placeholder(tf.float32, [None, 1], name="y")
        with tf.variable_scope("mdn"):
            h = tf.layers.dense(x, 8, activation=tf.nn.tanh, name="hidden")
            logits = tf.layers.dense(h, k, name="logits")
            mu = tf.layers.dense(h, k, name="mu")
            sigma = tf.nn.softplus(tf.layers.dense(h, k, name="sigma")) + 1e-3
        mix = tfd.Categorical(logits=logits)
        comp = tfd.Normal(loc=mu, scale=sigma)
        log_mix = tf.nn.log_softmax(logits)
        lp = comp.log_prob(y) + log_mix
        nll = -tf.reduce_mean(tf.reduce_logsumexp(lp, axis=1), name="nll")
        prior = tfd.Normal(loc=0.0, scale=1.0)
        kl = tf.reduce_mean(
            tfd.kl_divergence(comp, tfd.Normal(tf.zeros_like(mu), tf.ones_like(mu)))
        )
        loss = nll + 0.01 * kl
        train = tf.train.AdamOptimizer(0.05).minimize(loss)
        ent = tf.reduce_mean(mix.entropy())
        idx = mix.sample(seed=3)
        draws = comp.sample(seed=4)
        bern = tfd.Bernoulli(logits=tf.squeeze(mu[:, :1], 1))
        bern_lp = tf.reduce_sum(bern.log_prob(tf.cast(ys[:, 0] > 0, tf.int32)))
        beta = tfd.Beta(concentration1=sigma + 1.0, concentration0=2.0)
        beta_stats = [beta.mean(), beta.variance(), beta.log_prob(0.3), beta.entropy()]
        gam = tfd.Gamma(concentration=2.0 + sigma, rate=1.5)
        gam_stats = [gam.mean(), gam.log_prob(1.0), gam.entropy(), gam.cdf(1.0)]
        st = tfd.StudentT(df=3.0, loc=mu, scale=sigma)
        lap = tfd.Laplace(loc=mu, scale=sigma)
        uni = tfd.Uniform(low=-1.0, high=mu + 2.0)
        misc = [
            st.log_prob(0.5),
            st.variance(),
            lap.log_prob(0.2),
            lap.cdf(0.0),
            uni.log_prob(0.0),
            uni.entropy(),
            prior.cdf(0.5),
            prior.quantile(0.9),
            comp.survival_function(0.1),
        ]
        dirich = tfd.Dirichlet(tf.nn.softplus(logits) + 0.5)
        dstats = [dirich.mean(), dirich.log_prob(tf.constant([0.2, 0.3, 0.5])), dirich.entropy()]
        samples = [
            gam.sample(seed=11),
            beta.sample(2, seed=12),
            dirich.sample(seed=13),
            st.sample(seed=14),
            lap.sample(seed=15),
            uni.sample(seed=16),
            bern.sample(seed=17),
            tfd.Multinomial(total_count=5.0, logits=logits).sample(seed=18),
            tfd.Exponential(rate=sigma).sample(seed=19),
        ]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            fd = {x: xs, y: ys}
            smp = sess.run(samples, fd)
            losses = [float(sess.run(loss, fd))]
            for _ in range(5):
                losses.append(float(sess.run([train, loss], fd)[1]))
            e, i, d, b = sess.run([ent, idx, draws, bern_lp], fd)
            bs, gs, ms, ds = sess.run([beta_stats, gam_stats, misc, dstats], fd)
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "names": [nll.name, loss.name, ent.name, idx.name, draws.name, kl.name, bern_lp.name],
            "shapes": [idx.shape.as_list(), draws.shape.as_list(), lp.shape.as_list()],
            "dists": [mix.name, comp.name, prior.name, bern.name, beta.name, gam.name],
            "batch": [comp.batch_shape.as_list(), mix.batch_shape.as_list(), str(mix.event_shape)],
            "losses": losses,
            "entropy": float(e),
            "idx": [int(v) for v in i[:6]],
            "draws_shape": list(d.shape),
            "bern": float(b),
            "beta": [flat(a) for a in bs],
            "gamma": [flat(a) for a in gs],
            "misc": [flat(a) for a in ms],
            "dirichlet": [flat(a) for a in ds],
            # TF's map_fn runs the Multinomial's draws in parallel iterations, in a thread order
            # that changes from run to run: only the counts' totals are compared.
            "samples": [flat(a) for i, a in enumerate(smp) if i != 7],
            "multinomial": [list(smp[7].shape), sorted(set(smp[7].sum(-1).tolist()))],
            "sample_names": [t.name for t in samples],
        }


EXPECTED = {
    "vars": [
        ["mdn/hidden/kernel:0", [1, 8]],
        ["mdn/hidden/bias:0", [8]],
        ["mdn/logits/kernel:0", [8, 3]],
        ["mdn/logits/bias:0", [3]],
        ["mdn/mu/kernel:0", [8, 3]],
        ["mdn/mu/bias:0", [3]],
        ["mdn/sigma/kernel:0", [8, 3]],
        ["mdn/sigma/bias:0", [3]],
        ["beta1_power:0", []],
        ["beta2_power:0", []],
        ["mdn/hidden/kernel/Adam:0", [1, 8]],
        ["mdn/hidden/kernel/Adam_1:0", [1, 8]],
        ["mdn/hidden/bias/Adam:0", [8]],
        ["mdn/hidden/bias/Adam_1:0", [8]],
        ["mdn/logits/kernel/Adam:0", [8, 3]],
        ["mdn/logits/kernel/Adam_1:0", [8, 3]],
        ["mdn/logits/bias/Adam:0", [3]],
        ["mdn/logits/bias/Adam_1:0", [3]],
        ["mdn/mu/kernel/Adam:0", [8, 3]],
        ["mdn/mu/kernel/Adam_1:0", [8, 3]],
        ["mdn/mu/bias/Adam:0", [3]],
        ["mdn/mu/bias/Adam_1:0", [3]],
        ["mdn/sigma/kernel/Adam:0", [8, 3]],
        ["mdn/sigma/kernel/Adam_1:0", [8, 3]],
        ["mdn/sigma/bias/Adam:0", [3]],
        ["mdn/sigma/bias/Adam_1:0", [3]],
    ],
    "names": [
        "Neg:0",
        "add_1:0",
        "Mean_1:0",
        "Categorical/sample/Reshape_1:0",
        "Normal/sample/Reshape:0",
        "Mean:0",
        "Sum:0",
    ],
    "shapes": [[None], [None, 3], [None, 3]],
    "dists": ["Categorical/", "Normal/", "Normal_1/", "Bernoulli/", "Beta/", "Gamma/"],
    "batch": [[None, 3], [None], "()"],
    "losses": [
        1.1001008749008179,
        1.1001008749008179,
        0.8454528450965881,
        0.698611855506897,
        0.5810176134109497,
        0.46947231888771057,
    ],
    "entropy": 0.8170512318611145,
    "idx": [1, 1, 2, 0, 1, 1],
    "draws_shape": [16, 3],
    "bern": -9.005643844604492,
    "beta": [
        [0.4962116777896881, 0.48434317111968994, 0.4250921905040741, 0.4833167791366577],
        [0.05029972642660141, 0.05119450017809868, 0.05456545948982239, 0.05126866698265076],
        [0.24209511280059814, 0.27336227893829346, 0.36586594581604004, 0.275848388671875],
        [-0.12282180786132812, -0.11664724349975586, -0.10872602462768555, -0.1161813735961914],
    ],
    "gamma": [
        [1.979947566986084, 1.919032335281372, 1.6525458097457886, 1.913895845413208],
        [-0.9613709449768066, -0.9168825149536133, -0.7648249268531799, -0.9132876396179199],
        [1.435753345489502, 1.4159311056137085, 1.3188499212265015, 1.4142236709594727],
        [0.1967366337776184, 0.214442640542984, 0.30538618564605713, 0.21598735451698303],
    ],
    "misc": [
        [-1.6362028121948242, -1.5635582208633423, -3.22884202003479, -0.9658359885215759],
        [2.822242259979248, 2.315542221069336, 0.6878018975257874, 2.275106430053711],
        [-1.4419434070587158, -1.3359830379486084, -2.525132656097412, -0.6090167760848999],
        [0.718122124671936, 0.7099839448928833, 0.941800057888031, 0.41951867938041687],
        [-0.8936789631843567, -0.9248456954956055, -0.678131639957428, -1.148301362991333],
        [0.8936789631843567, 0.924845814704895, 0.678131639957428, 1.148301362991333],
        [0.6914624571800232],
        [1.2815512418746948],
        [0.2494455873966217, 0.2551097273826599, 0.00914803333580494, 0.5241885185241699],
    ],
    "dirichlet": [
        [0.25746867060661316, 0.2695819139480591, 0.47294938564300537, 0.24947845935821533],
        [1.077667236328125, 0.27743327617645264, 1.0731033086776733, 0.18797659873962402],
        [-0.8872538805007935, -1.1235895156860352, -0.9032220840454102, -1.1769919395446777],
    ],
    "samples": [
        [0.3288514018058777, 2.0963644981384277, 1.1285834312438965, 2.477835178375244],
        [0.9201028347015381, 0.4208231270313263, 0.27561360597610474, 0.4945106506347656],
        [0.49008500576019287, 0.015155130997300148, 0.4947599172592163, 0.07821366935968399],
        [-0.7620014548301697, -0.7910351753234863, -1.0034446716308594, -1.7681007385253906],
        [0.13917504251003265, -0.5417236089706421, -1.5595086812973022, 0.011434435844421387],
        [0.960286021232605, 0.7009997367858887, 1.0265448093414307, -0.8753620386123657],
        [1.0, 0.0, 0.0, 0.0],
        [2.8118245601654053, 0.1257369965314865, 2.692251205444336, 1.553168773651123],
    ],
    "multinomial": [[16, 3], [5.0]],
    "sample_names": [
        "Gamma/sample/Reshape:0",
        "Beta/sample/Reshape:0",
        "Dirichlet/sample/Reshape:0",
        "StudentT/sample/Reshape:0",
        "Laplace/sample/Reshape:0",
        "Uniform/sample/Reshape:0",
        "Bernoulli/sample/Reshape:0",
        "Multinomial/sample/Reshape_3:0",
        "Exponential/sample/Reshape:0",
    ],
}


def test_distributions_mdn_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
