"""``tf.contrib.factorization``: TF 1.15's ``KMeans`` graph builder (clustering_ops), composed
from ordinary ops. TF's C++ ``NearestNeighbors`` is an argmin over the distance matrix, and
``KmeansPlusPlusInitialization`` a ``tf.while_loop`` of ``tf.multinomial`` draws (TF's own
random stream for k-means++ is not reproduced; 'random' initialisation draws TF's indices).
WALS, GMM and the KMeans/GMM estimators are not implemented."""

from __future__ import annotations

from scopeflow.framework import dtypes
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import control_dependencies
from scopeflow.ops.array.basic import identity, ones, reshape, shape, zeros
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import gather, one_hot, unsorted_segment_sum
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.shape import ones_like, rank, size, zeros_like
from scopeflow.ops.array.unique import unique
from scopeflow.ops.control.assertions import (
    assert_equal,
    assert_greater_equal,
    assert_positive,
)
from scopeflow.ops.control.cond import cond
from scopeflow.ops.control.grouping import group, no_op
from scopeflow.ops.control.while_loop import while_loop
from scopeflow.ops.math.elementwise import (
    add_n,
    equal,
    less,
    log,
    maximum,
    minimum,
    reciprocal,
    square,
)
from scopeflow.ops.math.matmul import matmul
from scopeflow.ops.math.reduction import argmin, reduce_min, reduce_sum
from scopeflow.ops.nn.composite import embedding_lookup, l2_normalize
from scopeflow.ops.random.sampling import multinomial, random_uniform
from scopeflow.ops.state.scatter import scatter_add
from scopeflow.ops.state.storage import assign, assign_sub
from scopeflow.variables.variables import Variable

SQUARED_EUCLIDEAN_DISTANCE = "squared_euclidean"
COSINE_DISTANCE = "cosine"
RANDOM_INIT = "random"
KMEANS_PLUS_PLUS_INIT = "kmeans_plus_plus"
KMC2_INIT = "kmc2"
CLUSTERS_VAR_NAME = "clusters"


class KMeans:
    """TF 1.15's k-means graph builder: ``training_graph()`` gives
    ``(all_scores, cluster_idx, scores, cluster_centers_initialized, init_op, training_op)``
    with TF's variables ``clusters``, ``initialized`` and, for mini-batch training,
    ``clusters_updated``/``update_in_steps`` and the per-cluster counts ``Variable``."""

    def __init__(
        self,
        inputs,
        num_clusters,
        initial_clusters=RANDOM_INIT,
        distance_metric=SQUARED_EUCLIDEAN_DISTANCE,
        use_mini_batch=False,
        mini_batch_steps_per_iteration=1,
        random_seed=0,
        kmeans_plus_plus_num_retries=2,
        kmc2_chain_length=200,
    ):
        if isinstance(initial_clusters, str) and initial_clusters not in (
            RANDOM_INIT,
            KMEANS_PLUS_PLUS_INIT,
            KMC2_INIT,
        ):
            raise ValueError(f"Unsupported initialization algorithm '{initial_clusters}'")
        if isinstance(initial_clusters, str) and initial_clusters == KMC2_INIT:
            raise NotImplementedError(
                "KMeans(initial_clusters='kmc2') is not implemented; use 'kmeans_plus_plus' "
                "(the seeding k-MC2 approximates) or 'random'"
            )
        if distance_metric not in (SQUARED_EUCLIDEAN_DISTANCE, COSINE_DISTANCE):
            raise ValueError(f"Unsupported distance metric '{distance_metric}'")
        self._inputs = list(inputs) if isinstance(inputs, list) else [inputs]
        self._inputs = [convert_to_tensor(i) for i in self._inputs]
        self._num_clusters = num_clusters
        self._initial_clusters = initial_clusters
        self._distance_metric = distance_metric
        self._use_mini_batch = use_mini_batch
        self._mini_batch_steps_per_iteration = int(mini_batch_steps_per_iteration)
        self._random_seed = random_seed
        self._kmeans_plus_plus_num_retries = kmeans_plus_plus_num_retries
        self._kmc2_chain_length = kmc2_chain_length

    def _distances(self, inputs, clusters):
        """Per input, the [n, k] matrix of distances to the centers: squared Euclidean, or
        1 - dot product of the (already normalised) rows for cosine."""
        out = []
        for inp in inputs:
            if self._distance_metric == SQUARED_EUCLIDEAN_DISTANCE:
                d = (
                    reduce_sum(square(inp), 1, keepdims=True)
                    - 2 * matmul(inp, clusters, transpose_b=True)
                    + reshape(reduce_sum(square(clusters), 1), [1, -1])
                )
            else:
                d = 1 - matmul(inp, clusters, transpose_b=True)
            out.append(d)
        return out

    def _infer_graph(self, inputs, clusters):
        """(all_scores, scores, cluster_idx) per input: the distance matrix, each row's
        distance to its nearest center (TF's NearestNeighbors: a squared distance, halved for
        cosine, never below 0) and that center's int64 index."""
        all_scores = self._distances(inputs, clusters)
        # training_graph hands over unit centers for cosine, so TF's second l2_normalize before
        # NearestNeighbors changes nothing: the nearest center comes from all_scores
        scores, indices = [], []
        for nearest in all_scores:
            indices.append(argmin(nearest, 1, output_type=dtypes.int64))
            scores.append(maximum(reduce_min(nearest, 1), 0.0))
        return tuple(all_scores), tuple(scores), tuple(indices)

    def _clusters_l2_normalized(self):
        return self._distance_metric == COSINE_DISTANCE and (
            not self._use_mini_batch or self._mini_batch_steps_per_iteration > 1
        )

    def _create_variables(self, num_clusters):
        init_value = constant([], dtype=dtypes.float32)
        centers = Variable(init_value, name=CLUSTERS_VAR_NAME, validate_shape=False)
        initialized = Variable(False, dtype=dtypes.bool, name="initialized")
        if self._use_mini_batch and self._mini_batch_steps_per_iteration > 1:
            updated = Variable(init_value, name="clusters_updated", validate_shape=False)
            update_in_steps = Variable(
                self._mini_batch_steps_per_iteration, dtype=dtypes.int64, name="update_in_steps"
            )
            counts = Variable(zeros([num_clusters], dtype=dtypes.int64))
        else:
            updated, update_in_steps = centers, None
            counts = (
                Variable(ones([num_clusters], dtype=dtypes.int64)) if self._use_mini_batch else None
            )
        return centers, initialized, counts, updated, update_in_steps

    def training_graph(self):
        """Builds the k-means graph; returns ``(all_scores, cluster_idx, scores,
        cluster_centers_initialized, init_op, training_op)`` (the first three are tuples,
        one entry per input tensor). Run ``init_op`` until ``cluster_centers_initialized``
        is True, then ``training_op`` (one Lloyd step, or one mini-batch step)."""
        if isinstance(self._initial_clusters, str) or callable(self._initial_clusters):
            initial_clusters = self._initial_clusters
            num_clusters = convert_to_tensor(self._num_clusters)
        else:
            initial_clusters = convert_to_tensor(self._initial_clusters)
            num_clusters = shape(initial_clusters)[0]
        inputs = self._inputs
        centers_var, initialized, counts, updated, update_in_steps = self._create_variables(
            num_clusters
        )
        init_op = _InitializeClusters(
            self, num_clusters, initial_clusters, centers_var, updated, initialized
        ).op()
        centers = centers_var
        if self._distance_metric == COSINE_DISTANCE:
            inputs = [l2_normalize(i, dim=1) for i in inputs]
            if not self._clusters_l2_normalized():
                centers = l2_normalize(centers, dim=1)
        all_scores, scores, cluster_idx = self._infer_graph(inputs, centers)
        if self._use_mini_batch:
            sync = self._sync_updates_op(update_in_steps, centers_var, updated, counts)
            with control_dependencies([sync]):
                training_op = self._mini_batch_op(inputs, cluster_idx, updated, counts)
        else:
            training_op = self._full_batch_op(inputs, num_clusters, cluster_idx, centers_var)
        return all_scores, cluster_idx, scores, initialized, init_op, training_op

    def _sync_updates_op(self, update_in_steps, centers_var, updated, counts):
        """Every ``mini_batch_steps_per_iteration`` steps the updated copy becomes the
        centers (normalised for cosine) and the counts restart at 0."""
        if not (self._use_mini_batch and self._mini_batch_steps_per_iteration > 1):
            return no_op()

        def _sync():
            with control_dependencies(
                [assign(update_in_steps, self._mini_batch_steps_per_iteration - 1)]
            ):
                new = updated
                if self._distance_metric == COSINE_DISTANCE:
                    new = l2_normalize(updated, dim=1)
                with control_dependencies([assign(centers_var, new)]):
                    with control_dependencies([assign(counts, zeros_like(counts))]):
                        return identity(update_in_steps)

        return cond(update_in_steps <= 0, _sync, lambda: assign_sub(update_in_steps, 1))

    def _mini_batch_op(self, inputs, cluster_idx_list, centers, counts):
        """Each center moves toward the mean of its new points with learning rate
        1 / (its count including them): c += (sum - m * c) / (count + m)."""
        updates = []
        for inp, idx in zip(inputs, cluster_idx_list, strict=True):
            unique_ids, unique_idx = unique(reshape(idx, [-1]))
            num_unique = size(unique_ids)
            old_counts = gather(counts, unique_ids)
            old_centers = gather(centers, unique_ids)
            count_updates = unsorted_segment_sum(
                ones_like(unique_idx, dtype=counts.dtype), unique_idx, num_unique
            )
            center_updates = unsorted_segment_sum(inp, unique_idx, num_unique)
            bshape = concat(
                [reshape(num_unique, [1]), ones(reshape(rank(inp) - 1, [1]), dtype=dtypes.int32)],
                0,
            )
            center_updates -= cast(reshape(count_updates, bshape), inp.dtype) * old_centers
            rate = reshape(reciprocal(cast(old_counts + count_updates, inp.dtype)), bshape)
            center_updates *= rate
            # TF leaves the reads and the scatters unordered; here the reads come first
            with control_dependencies([center_updates]):
                updates.append(scatter_add(counts, unique_ids, count_updates))
                updates.append(scatter_add(centers, unique_ids, center_updates))
        return group(*updates)

    def _full_batch_op(self, inputs, num_clusters, cluster_idx_list, centers):
        """One Lloyd step: each center becomes the mean of its points (sum / (count + 1e-6)),
        re-normalised for cosine."""
        sums, counts = [], []
        epsilon = constant(1e-6, dtype=inputs[0].dtype)
        for inp, idx in zip(inputs, cluster_idx_list, strict=True):
            sums.append(unsorted_segment_sum(inp, idx, num_clusters))
            ones_col = reshape(ones(reshape(shape(inp)[0], [-1])), [-1, 1])
            counts.append(unsorted_segment_sum(ones_col, idx, num_clusters))
        new = add_n(sums) / (cast(add_n(counts), sums[0].dtype) + epsilon)
        if self._clusters_l2_normalized():
            new = l2_normalize(new, dim=1)
        return assign(centers, new)


class _InitializeClusters:
    """Builds init_op: while fewer than num_clusters centers are chosen, choose the rest
    (normalised for cosine), append them to ``clusters`` (and its updated copy) and set
    ``initialized`` once all are there; with all chosen it only asserts ``initialized``."""

    def __init__(self, kmeans, num_clusters, initial_clusters, centers, updated, initialized):
        self._k = kmeans
        self._inputs = kmeans._inputs
        self._num_clusters = num_clusters
        self._initial_clusters = initial_clusters
        self._centers = centers
        self._updated = updated
        self._initialized = initialized
        self._num_selected = shape(centers)[0]
        self._num_remaining = num_clusters - self._num_selected
        self._num_data = add_n([shape(i)[0] for i in self._inputs])

    def _random(self):
        indices = random_uniform(
            reshape(self._num_remaining, [-1]),
            minval=0,
            maxval=cast(self._num_data, dtypes.int64),
            seed=self._k._random_seed,
            dtype=dtypes.int64,
        )
        return embedding_lookup(self._inputs, indices, partition_strategy="div")

    def _kmeans_plus_plus(self):
        inp = self._inputs[0]
        if self._k._distance_metric == COSINE_DISTANCE:
            inp = l2_normalize(inp, dim=1)
        return _kmeans_plus_plus(
            inp, self._num_remaining, self._k._random_seed, self._k._kmeans_plus_plus_num_retries
        )

    def _choose(self):
        chooser = self._initial_clusters
        if isinstance(chooser, str) and chooser == RANDOM_INIT:
            return cond(
                self._num_data <= self._num_remaining,
                lambda: concat(self._inputs, 0),
                self._random,
            )
        if isinstance(chooser, str) and chooser == KMEANS_PLUS_PLUS_INIT:
            with control_dependencies([assert_greater_equal(self._num_data, self._num_remaining)]):
                return self._kmeans_plus_plus()
        if callable(chooser):
            return chooser(self._inputs, self._num_remaining)
        with control_dependencies([assert_equal(self._num_remaining, shape(chooser)[0])]):
            return identity(chooser)

    def _initialize(self):
        with control_dependencies([assert_positive(self._num_remaining)]):
            new = self._choose()
            if self._k._distance_metric == COSINE_DISTANCE:
                new = l2_normalize(new, dim=1)
            all_centers = cond(
                equal(self._num_selected, 0),
                lambda: new,
                lambda: concat([self._centers, new], 0),
            )
            a = assign(self._centers, all_centers, validate_shape=False)
            if self._updated is not self._centers:
                a = assign(self._updated, a, validate_shape=False)
            now_remaining = self._num_clusters - shape(a)[0]
            return cond(
                equal(now_remaining, 0),
                lambda: assign(self._initialized, True),
                no_op,
            )

    def op(self):
        return cond(
            equal(self._num_remaining, 0),
            lambda: assert_equal(self._initialized, True),
            self._initialize,
        )


def _kmeans_plus_plus(points, num_to_sample, seed, num_retries):
    """k-means++ seeding as a while loop: the first center uniformly, each next one the best
    (lowest total squared distance) of 1 + num_retries draws weighted by each point's squared
    distance to its nearest chosen center; num_retries < 0 uses 2 + log(num_to_sample)."""
    num_to_sample = cast(num_to_sample, dtypes.int32)
    n = shape(points)[0]
    norms = reduce_sum(square(points), 1)

    def sq_dist(index):  # squared distance of every point to points[index]
        c = gather(points, index)
        return maximum(
            norms - 2 * reshape(matmul(points, reshape(c, [-1, 1])), [-1]) + reduce_sum(square(c)),
            0.0,
        )

    if isinstance(num_retries, int) and num_retries >= 0:
        draws = 1 + num_retries
    else:
        draws = None
    first = cast(
        random_uniform([], 0, cast(n, dtypes.int64), dtype=dtypes.int64, seed=seed), dtypes.int32
    )
    chosen0 = one_hot(0, num_to_sample, on_value=first, off_value=0, dtype=dtypes.int32)

    def body(i, chosen, min_dist):
        logits = reshape(log(maximum(min_dist, 1e-30)), [1, -1])
        count = (
            draws
            if draws is not None
            else cast(2 + log(cast(num_to_sample, dtypes.float32)), dtypes.int32) + 1
        )
        candidates = cast(reshape(multinomial(logits, count, seed=seed), [-1]), dtypes.int32)
        norm_c = reshape(reduce_sum(square(gather(points, candidates)), 1), [1, -1])
        d = maximum(
            reshape(norms, [-1, 1])
            - 2 * matmul(points, gather(points, candidates), transpose_b=True)
            + norm_c,
            0.0,
        )
        potentials = reduce_sum(minimum(reshape(min_dist, [-1, 1]), d), 0)
        best = gather(candidates, argmin(potentials, 0, output_type=dtypes.int32))
        new_dist = minimum(min_dist, sq_dist(best))
        chosen = chosen + one_hot(i, num_to_sample, on_value=best, off_value=0, dtype=dtypes.int32)
        return i + 1, chosen, new_dist

    _, chosen, _ = while_loop(
        lambda i, c, d: less(i, num_to_sample), body, [constant(1), chosen0, sq_dist(first)]
    )
    return gather(points, chosen)


_MISSING = {
    "WALSModel": "weighted alternating least squares is not implemented; solve the two "
    "least-squares steps with tf.matrix_solve_ls in a graph",
    "GMM": "Gaussian mixture models are not implemented; use KMeans or "
    "tf.distributions.Normal with a hand-written EM step",
    "KMeansClustering": "the k-means estimator is not implemented; use KMeans(...)."
    "training_graph() in a tf.Session",
}


def __getattr__(name: str):
    hint = _MISSING.get(name)
    if hint is not None:
        raise AttributeError(f"module 'tf.contrib.factorization' has no attribute {name!r}: {hint}")
    raise AttributeError(f"module 'tf.contrib.factorization' has no attribute {name!r}")
