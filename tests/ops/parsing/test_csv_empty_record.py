"""``tf.io.decode_csv`` of an empty record: it has no fields (not one empty field), so it
fails as TF 2.21's kernel does, whatever the defaults."""

from __future__ import annotations

import pytest

import scopeflow as tf


@pytest.mark.parametrize(
    "records, defaults, expected",
    [
        ([b""], [[1]], 1),
        ([b""], [[1], [2]], 2),
        ([b"", b"3"], [["x"]], 1),
    ],
)
def test_empty_record_has_no_fields(run, records, defaults, expected):
    message = f"Expect {expected} fields but have 0 in record 0"
    with pytest.raises(tf.errors.InvalidArgumentError, match=message):
        run(tf.io.decode_csv(records, defaults))


def test_record_of_one_empty_quoted_field_takes_the_default(run):
    assert run(tf.io.decode_csv([b'""', b"5"], [[7]]))[0].tolist() == [7, 5]
