"""``tf.random``: random tensors and the graph seed."""

from __future__ import annotations

from scopeflow.ops.nn.candidate_sampling import (
    all_candidate_sampler,
    fixed_unigram_candidate_sampler,
    learned_unigram_candidate_sampler,
    log_uniform_candidate_sampler,
    uniform_candidate_sampler,
)
from scopeflow.ops.random.binomial import stateless_random_binomial as stateless_binomial
from scopeflow.ops.random.gamma import random_gamma as gamma
from scopeflow.ops.random.gamma import random_poisson as poisson
from scopeflow.ops.random.sampling import (
    categorical,
    get_seed,
    multinomial,
    set_random_seed,
    truncated_normal,
)
from scopeflow.ops.random.sampling import random_normal as normal
from scopeflow.ops.random.sampling import random_shuffle as shuffle
from scopeflow.ops.random.sampling import random_uniform as uniform
from scopeflow.ops.random.stateless import stateless_categorical, stateless_multinomial
from scopeflow.ops.random.stateless_samplers import stateless_random_gamma as stateless_gamma
from scopeflow.ops.random.stateless_samplers import stateless_random_poisson as stateless_poisson
from scopeflow.ops.random.stateless_v2 import (
    Algorithm,
    create_rng_state,
    fold_in,
    split,
    stateless_truncated_normal,
)
from scopeflow.ops.random.stateless_v2 import stateless_random_normal as stateless_normal
from scopeflow.ops.random.stateless_v2 import stateless_random_uniform as stateless_uniform
from scopeflow.ops.random.truncated import stateless_parameterized_truncated_normal
from scopeflow.random_experimental import experimental
from scopeflow.stateful_random import Generator, get_global_generator, set_global_generator

set_seed = set_random_seed
__all__ = [
    "Algorithm",
    "Generator",
    "all_candidate_sampler",
    "categorical",
    "create_rng_state",
    "experimental",
    "fixed_unigram_candidate_sampler",
    "fold_in",
    "gamma",
    "get_global_generator",
    "get_seed",
    "learned_unigram_candidate_sampler",
    "log_uniform_candidate_sampler",
    "multinomial",
    "shuffle",
    "normal",
    "poisson",
    "set_global_generator",
    "set_random_seed",
    "set_seed",
    "split",
    "stateless_binomial",
    "stateless_categorical",
    "stateless_gamma",
    "stateless_multinomial",
    "stateless_normal",
    "stateless_parameterized_truncated_normal",
    "stateless_poisson",
    "stateless_truncated_normal",
    "stateless_uniform",
    "truncated_normal",
    "uniform",
    "uniform_candidate_sampler",
]
