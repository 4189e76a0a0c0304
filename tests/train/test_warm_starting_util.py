"""``tf.train.warm_start`` with ``VocabInfo``, its ops (``GenerateVocabRemapping``,
``LoadAndRemapMatrix``), ``checkpoints_iterator`` and ``basic_train_loop``.

Expected values, op names and error messages are TF 2.21's (``tf.compat.v1``), printed by the
same programs run there (the vocabularies and checkpoint below)."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.train.bundle import write_bundle
from scopeflow.train.vocab_remapping import generate_vocab_remapping, load_and_remap_matrix
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

_DIR = tempfile.mkdtemp(prefix="warm_start_")
atexit.register(shutil.rmtree, _DIR, True)  # the vocabularies and checkpoint the cases read


def _vocab(name: str, words: list[str]) -> str:
    path = os.path.join(_DIR, name)
    with open(path, "w") as f:
        f.write("".join(w + "\n" for w in words))
    return path


OLD = _vocab("old.txt", ["apple", "banana", "cherry", "date"])
NEW = _vocab("new.txt", ["cherry", "fig", "apple", "grape", "banana"])
DUPLICATED = _vocab("dup.txt", ["apple", "banana", "apple"])
CKPT = os.path.join(_DIR, "model")
EMB = np.arange(12, dtype=np.float32).reshape(4, 3)
write_bundle(CKPT, {"emb": EMB, "out": np.arange(8, dtype=np.float32).reshape(2, 4)})
tf.train.update_checkpoint_state(_DIR, CKPT)


def _s(text: str) -> np.ndarray:
    return np.array(text.encode(), dtype=object)


def _remap(offset, count, old_size=-1):
    return lambda new, old: list(generate_vocab_remapping(new, old, offset, count, old_size))


def _load(num_rows, num_cols):
    return lambda path, name, rows, cols, init: load_and_remap_matrix(
        path, name, rows, cols, init, num_rows, num_cols
    )


def _i64(*values) -> np.ndarray:
    return np.array(values, np.int64)


_F = np.float32
CASES = [
    Case(
        "remap-window",
        "GenerateVocabRemapping",
        _remap(1, 3),
        (_s(NEW), _s(OLD)),
        [_i64(-1, 0, -1), np.int32(1)],
    ),
    Case(
        "remap-old-size",
        "GenerateVocabRemapping",
        _remap(0, 5, 2),
        (_s(NEW), _s(OLD)),
        [_i64(-1, -1, 0, -1, 1), np.int32(2)],
    ),
    Case(
        "remap-past-the-end",
        "GenerateVocabRemapping",
        _remap(3, 5),
        (_s(NEW), _s(OLD)),
        Raises(tf.errors.InvalidArgumentError, "lookup table size must be larger than last"),
    ),
    Case(
        "remap-duplicate-old",
        "GenerateVocabRemapping",
        _remap(0, 5),
        (_s(NEW), _s(DUPLICATED)),
        Raises(tf.errors.FailedPreconditionError, "Key apple has 0 and trying to add value 2"),
    ),
    Case(
        "remap-old-too-short",
        "GenerateVocabRemapping",
        _remap(0, 5, 10),
        (_s(NEW), _s(OLD)),
        Raises(tf.errors.InvalidArgumentError, "expected 10 but got 4"),
    ),
    Case(
        "remap-missing-file",
        "GenerateVocabRemapping",
        _remap(0, 5),
        (_s(NEW), _s(OLD + ".missing")),
        Raises(tf.errors.NotFoundError, "old.txt.missing; No such file or directory"),
    ),
    Case(
        "load-rows",
        "LoadAndRemapMatrix",
        _load(3, 3),
        (_s(CKPT), _s("emb"), _i64(2, -1, 0), _i64(), _F([7, 8, 9])),
        _F([[6, 7, 8], [7, 8, 9], [0, 1, 2]]),
    ),
    Case(
        "load-rows-and-cols",
        "LoadAndRemapMatrix",
        _load(3, 2),
        (_s(CKPT), _s("emb"), _i64(2, -1, 0), _i64(1, -1), _F([7, 8, 9, 10])),
        _F([[7, 7], [8, 9], [1, 10]]),
    ),
    Case(
        "load-too-few-values",
        "LoadAndRemapMatrix",
        _load(3, 3),
        (_s(CKPT), _s("emb"), _i64(2, -1, 0), _i64(), _F([7, 8])),
        Raises(tf.errors.InvalidArgumentError, "contained 2 elements, but more missing values"),
    ),
    Case(
        "load-row-count",
        "LoadAndRemapMatrix",
        _load(3, 3),
        (_s(CKPT), _s("emb"), _i64(2, -1), _i64(), _F([7, 8, 9])),
        Raises(tf.errors.InvalidArgumentError, "Size of row_remapping is 2 instead of being"),
    ),
    Case(
        "load-col-count",
        "LoadAndRemapMatrix",
        _load(3, 3),
        (_s(CKPT), _s("emb"), _i64(2, -1, 0), _i64(0, 1), _F([7, 8, 9])),
        Raises(tf.errors.InvalidArgumentError, "its size is 2 instead of being equal to num_cols"),
    ),
    Case(
        "load-missing-tensor",
        "LoadAndRemapMatrix",
        _load(3, 3),
        (_s(CKPT), _s("embz"), _i64(2, -1, 0), _i64(), _F([7, 8, 9])),
        Raises(tf.errors.NotFoundError, "Key embz not found in checkpoint"),
    ),
    Case(
        "load-other-width",
        "LoadAndRemapMatrix",
        _load(3, 4),
        (_s(CKPT), _s("emb"), _i64(2, -1, 0), _i64(), _F([7, 8, 9])),
        Raises(tf.errors.InvalidArgumentError, "size of its 2nd dimension is 3 instead of"),
    ),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


def _init_and_run(*tensors):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(list(tensors))


# What TF 2.21 adds to the graph for the two VocabInfos of the test below, in order.
TF_WARM_START_OPS = [
    *("GenerateVocabRemapping/new_vocab_file", "GenerateVocabRemapping/old_vocab_file"),
    *("GenerateVocabRemapping", "mul/y", "mul", "sub/x", "sub", "ones/packed/1"),
    *("ones/packed", "ones/Const", "ones", "LoadAndRemapMatrix/ckpt_path"),
    *("LoadAndRemapMatrix/old_tensor_name", "LoadAndRemapMatrix/col_remapping"),
    *("LoadAndRemapMatrix", "ones_1", "concat/axis", "concat", "Assign", "range/start"),
    *("range/limit", "range/delta", "range", "GenerateVocabRemapping_1/new_vocab_file"),
    *("GenerateVocabRemapping_1/old_vocab_file", "GenerateVocabRemapping_1", "mul_1/x"),
    *("mul_1", "sub_1/x", "sub_1", "zeros/packed/1", "zeros/packed", "zeros/Const", "zeros"),
    *("LoadAndRemapMatrix_1/ckpt_path", "LoadAndRemapMatrix_1/old_tensor_name"),
    *("LoadAndRemapMatrix_1", "zeros_1", "concat_1/axis", "concat_1", "Assign_1"),
]


def test_vocab_rows_and_columns_are_remapped_as_in_tf():
    with tf.Graph().as_default() as g:
        emb = tf.get_variable("emb", [6, 3])
        out = tf.get_variable("out", [2, 6])
        before = len(g.get_operations())
        rows = tf.train.VocabInfo(NEW, 5, 1, OLD, backup_initializer=tf.ones_initializer())
        cols = tf.train.VocabInfo(NEW, 5, 1, OLD, old_vocab_size=3, axis=1)
        tf.train.warm_start(
            _DIR, vars_to_warm_start=None, var_name_to_vocab_info={"emb": rows, "out": cols}
        )
        assert [op.name for op in g.get_operations()[before:]] == TF_WARM_START_OPS
        assert emb.initializer.name == "Assign"
        got_emb, got_out = _init_and_run(emb, out)
    np.testing.assert_array_equal(
        got_emb, [[6, 7, 8], [1, 1, 1], [0, 1, 2], [1, 1, 1], [3, 4, 5], [1, 1, 1]]
    )
    np.testing.assert_array_equal(got_out, [[2, 0, 0, 0, 1, 0], [6, 0, 4, 0, 5, 0]])


def test_partitioned_variable_renamed_and_others_left_alone():
    with tf.Graph().as_default():
        zeros = tf.zeros_initializer()
        emb = tf.get_variable(
            "emb2", [6, 3], partitioner=tf.fixed_size_partitioner(2), initializer=zeros
        )
        other = tf.get_variable("other", [2], initializer=zeros)
        info = tf.train.VocabInfo(NEW, 5, 1, OLD, backup_initializer=tf.ones_initializer())
        tf.train.warm_start(
            CKPT,
            vars_to_warm_start=None,
            var_name_to_vocab_info={"emb2": info},
            var_name_to_prev_var_name={"emb2": "emb", "other": "out"},
        )
        got_emb, got_other = _init_and_run(emb.as_tensor(), other)
    np.testing.assert_array_equal(
        got_emb, [[6, 7, 8], [1, 1, 1], [0, 1, 2], [1, 1, 1], [3, 4, 5], [1, 1, 1]]
    )
    np.testing.assert_array_equal(got_other, [0, 0])


def test_list_of_names_reaches_non_trainable_variables():
    with tf.Graph().as_default():
        kept = tf.get_variable("kept", [4, 3], trainable=False)
        trainable = tf.get_variable("emb", [4, 3], initializer=tf.zeros_initializer())
        tf.train.warm_start(CKPT, ["kept"], var_name_to_prev_var_name={"kept": "emb"})
        got_kept, got_trainable = _init_and_run(kept, trainable)
    np.testing.assert_array_equal(got_kept, EMB)
    np.testing.assert_array_equal(got_trainable, np.zeros((4, 3)))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"var_name_to_vocab_info": {"embx": None}}, "var_name_to_vocab_info that were not used"),
        ({"var_name_to_prev_var_name": {"x": "y"}}, "var_name_to_prev_var_name that were not"),
        ({"vars_to_warm_start": [1, "a"]}, "it must be all `Variable` or all `str`"),
        ({"vars_to_warm_start": 3}, "`vars_to_warm_start must be a `list` or `str`"),
    ],
)
def test_errors_as_in_tf(kwargs, message):
    with tf.Graph().as_default():
        tf.get_variable("emb", [4, 3])
        with pytest.raises(ValueError, match=message):
            tf.train.warm_start(CKPT, **kwargs)


def test_vocab_info_checks_axis_and_keeps_tf_fields():
    with pytest.raises(ValueError, match="Provided axis: 2"):
        tf.train.VocabInfo(NEW, 5, 1, OLD, axis=2)
    info = tf.estimator.VocabInfo(NEW, 5, 1, OLD)
    assert info._fields == (
        *("new_vocab", "new_vocab_size", "num_oov_buckets", "old_vocab", "old_vocab_size"),
        *("backup_initializer", "axis"),
    )
    settings = tf.estimator.WarmStartSettings(CKPT, var_name_to_vocab_info={"emb": info})
    assert settings.var_name_to_vocab_info == {"emb": info}


def test_checkpoints_iterator_yields_each_new_checkpoint(tmp_path):
    with tf.Graph().as_default():
        v = tf.get_variable("v", [1])
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(v.initializer)
            saver.save(sess, str(tmp_path / "model"), global_step=1)
            seen = []
            calls = []

            def timeout_fn():  # a second checkpoint appears while the iterator waits
                calls.append(1)
                if len(calls) == 1:
                    saver.save(sess, str(tmp_path / "model"), global_step=2)
                return len(calls) > 1

            for path in tf.train.checkpoints_iterator(
                str(tmp_path), timeout=0, timeout_fn=timeout_fn
            ):
                seen.append(os.path.basename(path))
    assert seen == ["model-1", "model-2"]
    assert list(tf.train.checkpoints_iterator(str(tmp_path / "none"), timeout=0)) == []


def test_basic_train_loop_retries_after_aborted():
    with tf.Graph().as_default():
        step = tf.train.get_or_create_global_step()
        bump = tf.assign_add(step, 1)
        sv = tf.train.Supervisor(logdir=None)
        seen = []

        def train_step(sess, scale, offset=0):
            seen.append(sess.run(bump) * scale + offset)
            if len(seen) == 2:
                raise tf.errors.AbortedError(None, None, "a server restarted")
            if len(seen) == 4:
                sv.request_stop()

        tf.train.basic_train_loop(sv, train_step, args=[10], kwargs={"offset": 1})
    # the retry runs a new session, whose initialization sets the step back to 0
    assert seen == [11, 21, 11, 21]
