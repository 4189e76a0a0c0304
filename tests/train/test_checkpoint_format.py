"""TensorFlow's V2 checkpoint files: the SSTable index, the tensor bundle, byte-exactness
against files TensorFlow wrote, and the reader's defences against corrupt or lying files."""

from __future__ import annotations

import os
import struct
import tracemalloc

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scopeflow import errors
from scopeflow.train import table
from scopeflow.train.bundle import BundleReader, data_filename, index_filename, write_bundle
from tests.data.checkpoint_values import PREFIX, expected_values
from tests.train.bundle_helpers import entry, rewrite_index, small_checkpoint

TF_DIR = os.path.join(os.path.dirname(__file__), "..", "data", "tf_checkpoint")

# -- the table ------------------------------------------------------------------------------


def test_table_round_trip_spans_several_blocks(monkeypatch):
    monkeypatch.setattr(table, "_BLOCK_SIZE", 64)
    entries = [(b"", b"header")] + [
        (f"k{i:04d}".encode(), bytes([i % 256]) * 7) for i in range(200)
    ]
    data = table.write_table(entries)
    assert table.read_table(data) == entries
    # more than one data block: the index block has several entries
    footer = data[-48:]
    (_, index_size), _ = table._decode_handle(footer, table.get_varint(footer, 0, 40)[1], 40)
    assert index_size > 20


@pytest.mark.parametrize(
    "start, limit, separator",
    [
        (b"abcd", b"abzz", b"abd"),  # first differing byte can grow and stay below limit
        (b"abc", b"abd", b"abc"),  # growing would reach the limit
        (b"ab", b"abc", b"ab"),  # a prefix of the limit: unchanged
        (b"a\xff", b"b", b"a\xff"),
    ],
)
def test_shortest_separator(start, limit, separator):
    assert table._shortest_separator(start, limit) == separator


def test_short_successor():
    assert table._short_successor(b"outer/u") == b"p"
    assert table._short_successor(b"\xff\xffa") == b"\xff\xffb"
    assert table._short_successor(b"\xff") == b"\xff"


def test_table_rejects_unsorted_keys():
    with pytest.raises(ValueError, match="strictly increasing"):
        table.write_table([(b"b", b""), (b"a", b"")])


def test_masked_crc_matches_leveldb():
    # LevelDB's mask of crc32c("") and of a known value
    assert table.mask_crc(0) == 0xA282EAD8
    assert table.crc32c(b"123456789") == 0xE3069283


# -- bytes as TensorFlow writes them --------------------------------------------------------


def test_writer_reproduces_tensorflow_files_byte_for_byte(tmp_path):
    pytest.importorskip("ml_dtypes")
    prefix = str(tmp_path / "model")
    write_bundle(prefix, {name: value for name, (_, value) in expected_values().items()})
    tf_prefix = os.path.join(TF_DIR, PREFIX)
    for name in (index_filename, data_filename):
        with open(name(prefix), "rb") as ours, open(name(tf_prefix), "rb") as theirs:
            assert ours.read() == theirs.read(), name.__name__


def test_reader_reads_tensorflow_files_exactly():
    pytest.importorskip("ml_dtypes")
    reader = BundleReader(os.path.join(TF_DIR, PREFIX))
    expected = expected_values()
    assert sorted(reader.entries) == sorted(expected)
    for name, (dtype, value) in expected.items():
        got = reader.read(name)
        assert reader.entries[name].dtype.name == dtype
        assert got.shape == value.shape and got.dtype == value.dtype
        if dtype == "string":
            assert got.tolist() == value.tolist()
        else:
            assert got.tobytes() == value.tobytes()


# -- round trips ----------------------------------------------------------------------------

ROUND_TRIP = [
    np.float32(1.5),
    np.zeros((0, 4), np.float64),
    np.arange(24, dtype=np.int16).reshape(2, 3, 4),
    np.asfortranarray(np.arange(6, dtype=np.int64).reshape(2, 3)),
    np.arange(10, dtype=np.uint32)[::3],  # not contiguous
    np.arange(4, dtype=">i4"),  # big-endian input is stored little-endian
    np.array([True, False]),
    np.array([[1 + 2j]], np.complex128),
    np.array([b"a", b"\x00", "\u00e9".encode()], dtype=object).reshape(3, 1),
    np.array(b"scalar string", dtype=object),
    np.array(["text", "\u00fcber"], dtype=object),  # str elements are stored as UTF-8
    np.array([b"y" * 300, b""], dtype=object),  # two-byte varint length
]


@pytest.mark.parametrize("value", ROUND_TRIP, ids=lambda v: f"{v.dtype}{list(v.shape)}")
def test_round_trip(tmp_path, value):
    prefix = str(tmp_path / "ckpt")
    write_bundle(prefix, {"t": value})
    got = BundleReader(prefix).read("t")
    assert got.shape == value.shape
    if value.dtype == object:
        want = [x.encode() if isinstance(x, str) else x for x in value.reshape(-1).tolist()]
        assert got.reshape(-1).tolist() == want
    else:
        assert got.dtype == value.dtype.newbyteorder("=")
        np.testing.assert_array_equal(got, value)
    assert got.flags.writeable


def test_write_replaces_an_existing_checkpoint_and_leaves_no_temporary_files(tmp_path):
    prefix = str(tmp_path / "ckpt")
    write_bundle(prefix, {"a": np.ones(3)})
    write_bundle(prefix, {"b": np.zeros(2)})
    assert list(BundleReader(prefix).entries) == ["b"]
    assert sorted(os.listdir(tmp_path)) == ["ckpt.data-00000-of-00001", "ckpt.index"]


def test_unsupported_array_dtype_is_a_type_error(tmp_path):
    with pytest.raises(TypeError, match="cannot save"):
        write_bundle(str(tmp_path / "c"), {"t": np.array(["2020"], dtype="datetime64[D]")})


# -- corrupt files --------------------------------------------------------------------------


def _data_loss(prefix, match=None, error=errors.DataLossError):
    with pytest.raises(error, match=match) as info:
        reader = BundleReader(prefix)
        for name in reader.entries:
            reader.read(name)
    return str(info.value)


def test_missing_checkpoint_is_not_found(tmp_path):
    with pytest.raises(errors.NotFoundError, match="Failed to find any matching files"):
        BundleReader(str(tmp_path / "nope"))


def test_a_plain_file_is_not_a_checkpoint(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    assert "notes.txt" in _data_loss(str(path), "not a TensorFlow V2 checkpoint")


def test_a_file_of_the_checkpoint_is_not_its_prefix(tmp_path):
    prefix = str(tmp_path / "c")
    small_checkpoint(prefix)
    _data_loss(index_filename(prefix), f"pass the prefix '{prefix}'")
    _data_loss(data_filename(prefix), f"pass the prefix '{prefix}'")


@pytest.mark.parametrize("size", [0, 10, 47])
def test_short_index_is_data_loss(tmp_path, size):
    prefix = str(tmp_path / "c")
    small_checkpoint(prefix)
    with open(index_filename(prefix), "r+b") as f:
        f.truncate(size)
    assert index_filename(prefix) in _data_loss(prefix, "corrupted")


def test_flipped_index_byte_fails_the_block_checksum(tmp_path):
    prefix = str(tmp_path / "c")
    small_checkpoint(prefix)
    with open(index_filename(prefix), "r+b") as f:
        f.seek(20)
        byte = f.read(1)
        f.seek(20)
        f.write(bytes([byte[0] ^ 1]))
    _data_loss(prefix, "checksum mismatch")


@pytest.mark.parametrize("name", ["a/w", "a/words"])
def test_flipped_data_byte_fails_the_tensor_checksum(tmp_path, name):
    prefix = str(tmp_path / "c")
    small_checkpoint(prefix)
    offset = BundleReader(prefix).entries[name].offset
    with open(data_filename(prefix), "r+b") as f:
        f.seek(offset + 5)
        byte = f.read(1)
        f.seek(offset + 5)
        f.write(bytes([byte[0] ^ 0x10]))
    reader = BundleReader(prefix)
    with pytest.raises(errors.DataLossError, match="checksum mismatch") as info:
        reader.read(name)
    assert data_filename(prefix) in str(info.value)


def test_truncated_data_file_is_rejected_on_reading(tmp_path):
    prefix = str(tmp_path / "c")
    small_checkpoint(prefix)
    with open(data_filename(prefix), "r+b") as f:
        f.truncate(10)
    # TF 2.21's restore: OutOfRangeError 'Read less bytes than requested'
    _data_loss(prefix, "Read less bytes than requested.*past the end of", errors.OutOfRangeError)


def test_missing_data_file_is_not_found(tmp_path):
    prefix = str(tmp_path / "c")
    small_checkpoint(prefix)
    os.remove(data_filename(prefix))
    # TF 2.21's restore: NotFoundError '<data file>; No such file or directory'
    _data_loss(prefix, "No such file or directory", errors.NotFoundError)


# -- valid checksums, lying fields ----------------------------------------------------------


def _set(key, **fields):
    def edit(records):
        message = entry(records, key)
        for field, value in fields.items():
            setattr(message, field, value)

    return edit


def _set_dims(key, dims):
    def edit(records):
        shape = entry(records, key).shape
        del shape.dim[:]
        for d in dims:
            shape.dim.add(size=d)

    return edit


LIES = {
    "negative dimension": (_set_dims(b"a/w", [-1, 3]), "negative dimension"),
    "enormous dimensions": (_set_dims(b"a/w", [2**40, 2**40]), "needs"),
    "elements exceed size": (_set_dims(b"a/w", [4, 3]), "needs 48 bytes"),
    "unknown dtype": (_set(b"a/w", dtype=99), "unknown dtype code 99"),
    "invalid dtype 0": (_set(b"a/w", dtype=0), "unknown dtype code 0"),
    "negative offset": (_set(b"a/w", offset=-8), "offset -8"),
    "offset past end": (_set(b"a/w", offset=10**12), "past the end"),
    "size past end": (_set(b"a/words", size=10**9), "past the end"),
    "too many strings": (_set_dims(b"a/words", [10**12]), "cannot fit"),
    "shard out of range": (_set(b"a/w", shard_id=3), "shard 3 of 1"),
    "no shards": (_set(b"", num_shards=0), "0 shards"),
    "unknown endianness": (_set(b"", endianness=7), "unknown endianness"),
    "garbage entry": (lambda r: r[1].__setitem__(1, b"\xff\xff\xff"), "bad entry"),
    "name not UTF-8": (lambda r: r.append([b"\xff\xfe", r[1][1]]), "not UTF-8"),
    "no header": (lambda r: r.__delitem__(0), "no header"),
}


@pytest.mark.parametrize("lie", sorted(LIES))
def test_lying_index_is_rejected_before_allocating(tmp_path, lie):
    edit, message = LIES[lie]
    prefix = str(tmp_path / "c")
    small_checkpoint(prefix)
    rewrite_index(prefix, edit)
    tracemalloc.start()
    try:
        error = errors.OutOfRangeError if message == "past the end" else errors.DataLossError
        text = _data_loss(prefix, message, error)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert index_filename(prefix) in text or data_filename(prefix) in text
    assert peak < 2 << 20


def test_string_lengths_that_lie_are_rejected(tmp_path):
    # A string tensor whose lengths (and every checksum) claim 2**40 bytes in a 9-byte tensor.
    prefix = str(tmp_path / "c")
    small_checkpoint(prefix)
    lengths = bytearray()
    table.put_varint(lengths, 2**40)
    crc = table.crc32c(struct.pack("<Q", 2**40))
    payload = bytes(lengths) + struct.pack("<I", table.mask_crc(crc)) + b"abc"
    with open(data_filename(prefix), "ab") as f:
        offset = f.tell()
        f.write(payload)
    stored = table.mask_crc(table.crc32c(payload[len(lengths) :], crc))
    rewrite_index(prefix, _set(b"a/words", offset=offset, size=len(payload), crc32c=stored))
    rewrite_index(prefix, _set_dims(b"a/words", [1]))
    reader = BundleReader(prefix)
    with pytest.raises(errors.DataLossError, match="do not add up"):
        reader.read("a/words")


@pytest.mark.parametrize(
    "edit, match",
    [
        (_set(b"", endianness=1), "big-endian"),
        (lambda r: setattr(entry(r, b"").version, "min_consumer", 5), "newer reader"),
        (_set(b"a/w", dtype=11), None),  # qint8: a TF type scopeflow does not read
    ],
)
def test_what_scopeflow_cannot_read_is_unimplemented(tmp_path, edit, match):
    prefix = str(tmp_path / "c")
    small_checkpoint(prefix)
    rewrite_index(prefix, edit)
    with pytest.raises(errors.UnimplementedError, match=match):
        BundleReader(prefix).read("a/w")


# -- fuzzing --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    prefix = str(tmp_path_factory.mktemp("fuzz") / "c")
    values = small_checkpoint(prefix)
    with open(index_filename(prefix), "rb") as f, open(data_filename(prefix), "rb") as g:
        return f.read(), g.read(), values


_EDITS = st.lists(
    st.tuples(
        st.sampled_from(["flip", "cut", "insert"]),
        st.integers(0, 10**6),
        st.binary(min_size=1, max_size=4),
    ),
    min_size=1,
    max_size=4,
)


def _mutate(data: bytes, edits) -> bytes:
    for kind, where, blob in edits:
        pos = where % (len(data) + 1)
        if kind == "flip" and data:
            pos %= len(data)
            data = data[:pos] + bytes([data[pos] ^ (blob[0] or 1)]) + data[pos + 1 :]
        elif kind == "cut":
            data = data[:pos]
        else:
            data = data[:pos] + blob + data[pos:]
    return data


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(which=st.sampled_from(["index", "data"]), edits=_EDITS)
def test_fuzzed_checkpoints_raise_data_loss_or_read_correctly(tmp_path, pristine, which, edits):
    index, data, values = pristine
    prefix = str(tmp_path / "fuzzed")
    if which == "index":
        index = _mutate(index, edits)
    else:
        data = _mutate(data, edits)
    with open(index_filename(prefix), "wb") as f:
        f.write(index)
    with open(data_filename(prefix), "wb") as f:
        f.write(data)
    try:
        reader = BundleReader(prefix)
        got = {name: reader.read(name) for name in reader.entries}
    except (errors.DataLossError, errors.OutOfRangeError, errors.UnimplementedError) as e:
        assert prefix in str(e)
        return
    assert sorted(got) == sorted(values)
    for name, value in values.items():
        assert got[name].tolist() == value.tolist()


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    dtype=st.integers(-3, 40),
    dims=st.lists(st.integers(-(2**40), 2**40) | st.integers(0, 8), max_size=6),
    offset=st.integers(-10, 2**40) | st.integers(0, 200),
    size=st.integers(-10, 2**40) | st.integers(0, 200),
    shard=st.integers(-1, 2),
    crc=st.integers(0, 2**32 - 1),
)
def test_entries_with_arbitrary_fields_never_crash(
    tmp_path, pristine, dtype, dims, offset, size, shard, crc
):
    prefix = str(tmp_path / "c")
    with open(index_filename(prefix), "wb") as f, open(data_filename(prefix), "wb") as g:
        f.write(pristine[0])
        g.write(pristine[1])

    def edit(records):
        message = entry(records, b"a/w")
        message.dtype, message.offset, message.size = dtype, offset, size
        message.shard_id, message.crc32c = shard, crc
        del message.shape.dim[:]
        for d in dims:
            message.shape.dim.add(size=d)

    rewrite_index(prefix, edit)
    try:
        reader = BundleReader(prefix)
        for name in reader.entries:
            reader.read(name)
    except (errors.DataLossError, errors.OutOfRangeError, errors.UnimplementedError) as e:
        assert prefix in str(e)


# -- docstring examples ---------------------------------------------------------------------
