"""``tf.train.import_meta_graph`` of a file that is not a MetaGraphDef raises what TF 2.21 raises
(types and messages checked in the reference TF): ``OSError`` for a missing file or a text
parse error, ``UnicodeDecodeError`` for bytes that are neither, ``FailedPreconditionError``
for a directory."""

from __future__ import annotations

import pytest

import scopeflow as tf


def _import(path):
    with tf.Graph().as_default() as g:
        try:
            tf.train.import_meta_graph(str(path))
        finally:
            assert g.get_operations() == []


def test_missing_file_is_tf_os_error(tmp_path):
    path = tmp_path / "none.meta"
    with pytest.raises(OSError, match=f"^File does not exist. Received: {path}."):
        _import(path)


@pytest.mark.parametrize(
    "text, message",
    [  # TF 2.21's messages (its text_format's, with its "Cannot parse file" prefix)
        (b"graph_def {", '1:11 : Expected "}"..'),
        (b"\x00\x01garbage", "1:1 : '\x00\x01garbage': Expected identifier or number, got \x00.."),
    ],
)
def test_text_parse_error_is_tf_os_error(tmp_path, text, message):
    path = tmp_path / "bad.meta"
    path.write_bytes(text)
    with pytest.raises(OSError) as info:
        _import(path)
    assert type(info.value) is OSError
    assert str(info.value) == f"Cannot parse file {path}: {message}"


def test_bytes_not_utf8_are_tf_unicode_decode_error(tmp_path):
    path = tmp_path / "bad.meta"
    path.write_bytes(b"\x00\x01garbage not a proto\xff\xff")
    with pytest.raises(UnicodeDecodeError) as info:
        _import(path)
    # TF: "'utf-8' codec can't decode byte 0xff in position 21: invalid start byte"
    assert (
        str(info.value) == "'utf-8' codec can't decode byte 0xff in position 21: invalid start byte"
    )
    assert info.value.__notes__[0] == (
        f"Cannot parse file {path}: it is neither a binary nor a text MetaGraphDef "
        "(truncated or corrupted?)"
    )


def test_a_directory_is_failed_precondition_as_in_tf(tmp_path):
    with pytest.raises(tf.errors.FailedPreconditionError, match=f"^{tmp_path}; Is a directory"):
        _import(tmp_path)


def test_an_empty_file_is_an_empty_meta_graph_as_in_tf(tmp_path):
    path = tmp_path / "empty.meta"
    path.write_bytes(b"")
    with tf.Graph().as_default() as g:
        assert tf.train.import_meta_graph(str(path)) is None  # TF: None, nothing imported
        assert g.get_operations() == []
