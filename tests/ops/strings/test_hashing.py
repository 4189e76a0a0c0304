"""Tests for scopeflow/ops/strings/hashing.py: ``tf.string_to_hash_bucket`` (TF's legacy
``Hash64``), ``tf.strings.to_hash_bucket_strong`` (SipHash-2-4) and ``tf.fingerprint``
(FarmHash ``Fingerprint64`` per row). The expected values are TensorFlow 2.21's for the same
inputs."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

WORDS = ["", "a", "ab", "abc", "abcdefg", "abcdefgh", "abcdefghi", "hello world, long string!"]
WORDS.append("\xe9t\xe9")
ALL = 1 << 62  # buckets: the hash itself, less its top two bits


def _strings(*items) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    out[:] = [s.encode() for s in items]
    return out


CASES = [
    Case("hash64", "StringToHashBucket", lambda s: tf.string_to_hash_bucket(s, ALL),
         (_strings(*WORDS),),
         np.int64([105434511174508091, 2996632905371535868, 3579204183985781795,
                   1046625677629754806, 2960345911509200448, 3429851175771700306,
                   2154505082538699157, 3716245555223946362, 3287882255489415818])),
    Case("hash64-buckets", "StringToHashBucket", lambda s: tf.strings.to_hash_bucket(s, 10),
         (_strings("abc", "d"),), np.int64([0, 9]), 0, ("full",)),
    Case("siphash", "StringToHashBucketStrong",
         lambda s: tf.strings.to_hash_bucket_strong(s, ALL, [123, 456789]), (_strings(*WORDS),),
         np.int64([1355846352186774753, 3813832739452737503, 3944433647867122533,
                   203978568737009892, 2790152996805220151, 1141984892220818993,
                   2832194576144670790, 1476932547451508302, 1400368848543346767])),
    Case("siphash-key", "StringToHashBucketStrong",
         lambda s: tf.string_to_hash_bucket_strong(s, 3, [1]), (_strings("a"),),
         Raises(tf.errors.InvalidArgumentError, "Key must have 2 elements"), 0, ("full",)),
    Case("fingerprint-strings", "Fingerprint", tf.fingerprint, (_strings("abc"),),
         np.uint8([[105, 243, 231, 116, 160, 179, 165, 36]])),
    Case("fingerprint-string-rows", "Fingerprint", tf.fingerprint,
         (np.array([[b"a", b"bc"], [b"", b"d"]], dtype=object),),
         np.uint8([[85, 27, 103, 37, 147, 177, 144, 87], [8, 35, 170, 152, 214, 154, 58, 109]]),
         0, ("full", "dims")),
    Case("fingerprint-int32", "Fingerprint", tf.fingerprint, (np.int32([[1, 2], [3, 4]]),),
         np.uint8([[76, 18, 253, 133, 168, 204, 240, 10], [254, 162, 60, 240, 103, 244, 53, 255]])),
    Case("fingerprint-float32", "Fingerprint", tf.fingerprint, (np.float32([[[1.5]], [[2]]]),),
         np.uint8([[64, 181, 56, 72, 223, 224, 189, 72], [156, 206, 45, 21, 1, 1, 236, 37]]), 0,
         ("full",)),
    Case("fingerprint-method", "Fingerprint",
         lambda x: tf.fingerprint(x, method=tf.placeholder_with_default("md5", [])),
         (np.float32([1]),), Raises(tf.errors.InvalidArgumentError,
                                    "Unsupported fingerprint method: md5"), 0, ("full",)),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def test_names_shapes_and_build_errors():
    fp = tf.fingerprint(tf.placeholder(tf.string, [None, 3]))
    assert (fp.name, fp.shape.as_list(), fp.dtype) == ("Fingerprint:0", [None, 8], tf.uint8)
    assert tf.string_to_hash_bucket(input=["a"], num_buckets=4).name == "StringToHashBucket:0"
    strong = tf.strings.to_hash_bucket_strong(["a"], 4, [1, 2], name="s")
    assert (strong.name, strong.op.get_attr("key")) == ("s:0", [1, 2])
    with pytest.raises(ValueError, match="Shape must be at least rank 1 but is rank 0"):
        tf.fingerprint(1.0)
    with pytest.raises(ValueError, match="Unsupported method: md5"):
        tf.fingerprint([1.0], method="md5")
    with pytest.raises(ValueError, match="'num_buckets' of 'StringToHashBucket' Op passed 0"):
        tf.string_to_hash_bucket(["a"], 0)
