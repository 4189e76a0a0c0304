"""``tf.io.gfile.get_registered_schemes`` (scopeflow/platform/file_io.py): the schemes listed
are the ones the file functions accept; TF 2.21 lists ['ram', 'file', '', 'gs'], and the two
scopeflow does not have are refused as a TF built without them refuses them."""

from __future__ import annotations

import pytest

import scopeflow as tf


def test_listed_schemes_work_and_the_others_are_refused(tmp_path):
    assert tf.io.gfile.get_registered_schemes() == ["file", ""]
    path = tmp_path / "f.txt"
    path.write_text("x")
    assert tf.io.gfile.exists(str(path)) and tf.io.gfile.exists("file://" + str(path))
    for scheme in ("gs", "ram"):
        with pytest.raises(
            tf.errors.UnimplementedError, match=f"scheme '{scheme}' not implemented"
        ):
            tf.io.gfile.exists(f"{scheme}://bucket/f.txt")
