"""Tests for scopeflow/summary/records.py: TFRecord framing, and reading corrupt or cut
events files as TensorFlow does (``DataLossError``, here naming the file), never reading past
the file, hanging or allocating what a length field claims."""

from __future__ import annotations

import pathlib
import random
import struct

import pytest

import scopeflow as tf
from scopeflow.ops.kernels.crc import crc32c, mask_crc
from scopeflow.summary.records import encode_record, read_records

TF_EVENTS = next(
    (pathlib.Path(__file__).resolve().parents[2] / "tests/data/summary/tf_events").glob("events*")
)


def _write(tmp_path, data: bytes) -> str:
    path = tmp_path / "events.out.tfevents.0.test"
    path.write_bytes(data)
    return str(path)


def test_records_round_trip(tmp_path):
    payloads = [b"", b"a", bytes(range(256)) * 40]
    path = _write(tmp_path, b"".join(encode_record(p) for p in payloads))
    assert list(read_records(path)) == payloads


def test_tensorflows_file_is_framed_as_we_frame_it():
    data = TF_EVENTS.read_bytes()
    records = list(read_records(TF_EVENTS))
    assert b"".join(encode_record(r) for r in records) == data


def test_missing_file_is_not_found(tmp_path):
    with pytest.raises(tf.errors.NotFoundError, match="No such file or directory"):
        list(read_records(tmp_path / "nothing"))


# Where TensorFlow 2.21's tf.train.summary_iterator stops on TF_EVENTS cut or changed so
# (tests/data/summary/make_reference.py's events file): records read, then its error words.
DATA = TF_EVENTS.read_bytes()
LAST = 4330  # the offset of the last record


def _flip(data: bytes, at: int) -> bytes:
    changed = bytearray(data)
    changed[at] ^= 1
    return bytes(changed)


TF_BEHAVIOUR = [
    ("a partial header", DATA[:5], 0, None),
    ("a cut record", DATA[:-7], 7, f"truncated record at {LAST}"),
    ("a cut checksum", DATA[:-3], 7, f"truncated record at {LAST}"),
    ("a header only", DATA[:12], 0, "truncated record at 0"),
    ("a bad length checksum", _flip(DATA, 2), 0, "corrupted record at 0 "),
    ("a bad first record", _flip(DATA, 20), 0, "corrupted record at 12 "),
    ("a bad last checksum", _flip(DATA, len(DATA) - 1), 7, f"corrupted record at {LAST + 12}"),
    ("a partial trailing header", DATA + bytes(11), 8, None),
    ("a zero trailing header", DATA + bytes(12), 8, f"corrupted record at {len(DATA)}"),
]


@pytest.mark.parametrize(("what", "data", "count", "error"), TF_BEHAVIOUR, ids=lambda v: v)
def test_damage_is_found_where_tensorflow_finds_it(tmp_path, what, data, count, error):
    path = _write(tmp_path, data)
    read = []
    if error is None:
        read = list(tf.train.summary_iterator(path))
    else:
        with pytest.raises(tf.errors.DataLossError, match=error) as info:
            read.extend(tf.train.summary_iterator(path))
        assert path in str(info.value)
    assert len(read) == count


def test_a_huge_length_is_data_loss_without_allocating(tmp_path):
    length = struct.pack("<Q", 1 << 62)
    path = _write(tmp_path, length + struct.pack("<I", mask_crc(crc32c(length))) + b"abc")
    with pytest.raises(tf.errors.DataLossError, match="truncated record at 0"):
        list(read_records(path))


def test_a_record_that_is_no_event_is_data_loss(tmp_path):
    path = _write(tmp_path, encode_record(b"\xff\xff\xff"))
    with pytest.raises(tf.errors.DataLossError, match="is not an Event"):
        list(tf.train.summary_iterator(path))


@pytest.mark.parametrize("seed", range(20))
def test_fuzzed_files_read_or_fail_with_data_loss(tmp_path, seed):
    rng = random.Random(seed)
    data = bytearray(DATA)
    for _ in range(rng.randint(1, 6)):
        kind = rng.choice(["flip", "cut", "insert", "length"])
        at = rng.randrange(len(data))
        if kind == "flip":
            data[at] ^= 1 << rng.randrange(8)
        elif kind == "cut":
            del data[at:]
        elif kind == "insert":
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 20)))
        elif at + 8 <= len(data):  # a length that lies, with a valid checksum
            data[at : at + 8] = struct.pack("<Q", rng.choice([0, 1, 1 << 40, (1 << 64) - 1]))
        if not data:
            break
    path = _write(tmp_path, bytes(data))
    try:
        for event in tf.train.summary_iterator(path):
            assert isinstance(event, tf.Event)
    except tf.errors.DataLossError as e:
        assert path in str(e)


def test_every_truncation_reads_a_prefix(tmp_path):
    whole = list(read_records(TF_EVENTS))
    for cut in range(0, len(DATA), 97):
        path = _write(tmp_path, DATA[:cut])
        read = []
        try:
            read.extend(read_records(path))
        except tf.errors.DataLossError:
            pass
        assert read == whole[: len(read)]
