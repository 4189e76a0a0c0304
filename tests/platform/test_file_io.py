"""tf.gfile / tf.io.gfile on local files: results and TF1's error types and messages, as
TensorFlow 2.21's compat.v1 gives them: the cases of ``tests/data/platform/gfile_cases.py``
against TF's record (``gfile_reference.json``), then the finer points one by one."""

from __future__ import annotations

import json
import os
import pathlib

import pytest

import scopeflow as tf
from scopeflow.platform import file_io
from tests.data.platform.gfile_cases import CASES, make_tree, run_case

REFERENCE = json.loads(
    (pathlib.Path(__file__).parents[1] / "data" / "platform" / "gfile_reference.json").read_text()
)["cases"]


@pytest.mark.parametrize("expr", CASES)
def test_does_what_tensorflow_does(tmp_path, expr):
    make_tree(str(tmp_path))
    assert run_case(tf, expr, str(tmp_path)) == REFERENCE[expr]


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "a.txt").write_text("hello\nworld\n")
    (tmp_path / "sub" / "deep").mkdir(parents=True)
    (tmp_path / "sub" / "b.bin").write_bytes(b"\x00\x01")
    return tmp_path


def test_namespaces_hold_tf1s_names():
    assert sorted(n for n in dir(tf.gfile) if not n.startswith("_") and n[0].isupper()) == [
        "Copy", "DeleteRecursively", "Exists", "FastGFile", "GFile", "Glob", "IsDirectory",
        "ListDirectory", "MakeDirs", "MkDir", "Open", "Remove", "Rename", "Stat", "Walk",
    ]  # fmt: skip
    assert set(tf.io.gfile.__all__) >= {
        "GFile", "copy", "exists", "glob", "isdir", "listdir", "makedirs", "mkdir", "remove",
        "rename", "rmtree", "stat", "walk",
    }  # fmt: skip
    assert tf.gfile.Open is tf.gfile.GFile is tf.io.gfile.GFile
    assert tf.gfile.FastGFile is not tf.gfile.GFile
    assert issubclass(tf.gfile.FastGFile, tf.gfile.GFile)


def test_read_text_lines_iteration_seek_tell_size(tree):
    path = str(tree / "a.txt")
    f = tf.gfile.GFile(path)
    assert (f.name, f.mode) == (path, "r")
    assert f.readline() == "hello\n"
    assert f.tell() == 6
    assert f.readlines() == ["world\n"]
    assert f.readline() == ""
    f.seek(2)
    assert f.read(3) == "llo"
    f.seek(-2, 2)
    assert f.read() == "d\n"
    f.seek(position=1)
    assert f.read(2) == "el"
    assert f.size() == 12
    assert list(tf.gfile.GFile(path)) == ["hello\n", "world\n"]
    assert tf.gfile.GFile(path).next() == "hello\n"
    assert tf.gfile.GFile(path, "rb").read() == b"hello\nworld\n"
    assert tf.gfile.GFile(path, "rb").readline() == b"hello\n"


def test_reading_a_closed_file_starts_again(tree):
    f = tf.gfile.GFile(str(tree / "a.txt"))
    f.read(3)
    f.close()
    assert f.read() == "hello\nworld\n"


def test_write_append_and_laziness(tree):
    path = tree / "out.txt"
    with tf.gfile.GFile(str(path), "w") as f:
        assert f.write("abc") is None
        f.write(b"\xc3\xa9")  # bytes in text mode, as TF1
        assert f.tell() == 5
    assert path.read_text() == "abcé"
    with tf.io.gfile.GFile(str(path), "a") as f:
        f.write("!")
    assert path.read_text() == "abcé!"
    with tf.gfile.GFile(str(path), "wb") as f:
        f.write("text in binary mode")
    assert path.read_bytes() == b"text in binary mode"
    with tf.gfile.GFile(str(tree / "never.txt"), "w"):
        pass  # TF1 creates a file only on its first write
    assert not (tree / "never.txt").exists()


def test_gfile_errors(tree):
    missing = str(tree / "nope")
    with pytest.raises(tf.errors.NotFoundError) as info:
        tf.gfile.GFile(missing).read()
    assert info.value.message == f"{missing}; No such file or directory"
    assert info.value.error_code == tf.errors.NOT_FOUND
    with pytest.raises(tf.errors.NotFoundError, match="No such file or directory"):
        tf.gfile.GFile(missing).size()
    with pytest.raises(tf.errors.PermissionDeniedError, match="File isn't open for writing"):
        tf.gfile.GFile(str(tree / "a.txt")).write("x")
    with pytest.raises(tf.errors.PermissionDeniedError, match="File isn't open for reading"):
        tf.gfile.GFile(str(tree / "w.txt"), "w").read()
    with pytest.raises(tf.errors.InvalidArgumentError, match="mode is not 'r' or 'w'"):
        tf.gfile.GFile(str(tree / "a.txt"), "q")
    with pytest.raises(tf.errors.FailedPreconditionError, match="; Is a directory"):
        tf.gfile.GFile(str(tree)).read()
    with pytest.raises(tf.errors.NotFoundError, match="No such file or directory"):
        tf.gfile.GFile(str(tree / "nodir" / "f"), "w").write("x")


def test_exists_isdir_listdir_glob(tree):
    assert tf.gfile.Exists(str(tree / "a.txt")) and tf.gfile.Exists(tree)  # PathLike too
    assert not tf.io.gfile.exists(str(tree / "nope"))
    assert tf.gfile.IsDirectory(str(tree)) and not tf.gfile.IsDirectory(str(tree / "a.txt"))
    assert tf.io.gfile.isdir(os.fsencode(tree))
    assert sorted(tf.gfile.ListDirectory(str(tree))) == ["a.txt", "sub"]
    assert sorted(tf.io.gfile.listdir(str(tree) + "/")) == ["a.txt", "sub"]
    for bad in ("nope", "a.txt"):
        with pytest.raises(tf.errors.NotFoundError) as info:
            tf.gfile.ListDirectory(str(tree / bad))
        assert info.value.message == f"Could not find directory {tree / bad}"
    assert tf.gfile.Glob(str(tree / "*")) == [str(tree / "a.txt"), str(tree / "sub")]
    assert tf.gfile.Glob(str(tree / "zz*")) == []
    assert tf.io.gfile.glob([str(tree / "a*"), str(tree / "s*")]) == [
        str(tree / "a.txt"),
        str(tree / "sub"),
    ]
    assert tf.gfile.Glob(f"file://{tree}/a*") == [f"file://{tree}/a.txt"]


def test_mkdir_makedirs(tree):
    tf.gfile.MkDir(str(tree / "new"))
    assert (tree / "new").is_dir()
    tf.gfile.MkDir(str(tree / "new"))  # exists: nothing, as TF 2.21
    with pytest.raises(tf.errors.NotFoundError) as info:
        tf.gfile.MkDir(str(tree / "x" / "y"))
    assert info.value.message == f"{tree / 'x' / 'y'}; No such file or directory"
    tf.gfile.MakeDirs(str(tree / "x" / "y" / "z"))
    assert (tree / "x" / "y" / "z").is_dir()
    tf.io.gfile.makedirs(str(tree))
    tf.io.gfile.makedirs(f"file://{tree}/viaurl")
    assert (tree / "viaurl").is_dir()
    with pytest.raises(tf.errors.FailedPreconditionError) as info:
        tf.gfile.MakeDirs(str(tree / "a.txt" / "sub"))
    assert info.value.message == f"{tree / 'a.txt'} is not a directory"


def test_remove_rmtree(tree):
    with pytest.raises(tf.errors.NotFoundError, match="nope; No such file or directory"):
        tf.gfile.Remove(str(tree / "nope"))
    with pytest.raises(tf.errors.FailedPreconditionError) as info:
        tf.gfile.Remove(str(tree / "sub"))
    assert info.value.message == f"{tree / 'sub'}; Is a directory"
    tf.io.gfile.remove(str(tree / "a.txt"))
    assert not (tree / "a.txt").exists()
    with pytest.raises(tf.errors.NotFoundError) as info:
        tf.gfile.DeleteRecursively(str(tree / "nope"))
    assert info.value.message == f"{tree / 'nope'} not found"
    tf.gfile.DeleteRecursively(str(tree / "sub" / "b.bin"))  # a file is simply deleted
    tf.io.gfile.rmtree(str(tree / "sub"))
    assert os.listdir(tree) == []


def test_rename_and_copy(tree):
    src, dst = str(tree / "a.txt"), str(tree / "b.txt")
    tf.gfile.Copy(src, dst)
    assert (tree / "b.txt").read_text() == "hello\nworld\n"
    for op in (tf.gfile.Copy, tf.gfile.Rename):
        with pytest.raises(tf.errors.AlreadyExistsError) as info:
            op(src, dst)
        assert info.value.message == "file already exists"
    (tree / "a.txt").write_text("new")
    tf.io.gfile.copy(src, dst, overwrite=True)
    assert (tree / "b.txt").read_text() == "new"
    with pytest.raises(tf.errors.NotFoundError) as info:
        tf.gfile.Copy(src + "zz", dst + "zz")
    assert info.value.message == f"{src}zz; No such file or directory"
    with pytest.raises(tf.errors.InvalidArgumentError, match="; Invalid argument"):
        tf.gfile.Copy(str(tree / "sub"), str(tree / "sub2"))
    tf.gfile.Rename(src, str(tree / "c.txt"))
    assert not (tree / "a.txt").exists() and (tree / "c.txt").read_text() == "new"
    tf.io.gfile.rename(str(tree / "c.txt"), dst, overwrite=True)
    assert (tree / "b.txt").read_text() == "new"
    with pytest.raises(tf.errors.NotFoundError, match="c.txt; No such file or directory"):
        tf.gfile.Rename(str(tree / "c.txt"), str(tree / "d.txt"))
    tf.gfile.Rename(str(tree / "sub"), str(tree / "moved"))
    assert (tree / "moved" / "b.bin").exists()
    with pytest.raises(tf.errors.FailedPreconditionError, match="; Is a directory"):
        tf.gfile.Rename(dst, str(tree / "moved"), overwrite=True)


def test_stat(tree):
    stat = tf.gfile.Stat(str(tree / "a.txt"))
    assert (stat.length, stat.is_directory) == (12, False)
    assert stat.mtime_nsec == os.stat(tree / "a.txt").st_mtime_ns
    assert tf.io.gfile.stat(str(tree)).is_directory
    with pytest.raises(tf.errors.NotFoundError, match="nope; No such file or directory"):
        tf.gfile.Stat(str(tree / "nope"))


def test_walk(tree):
    top = str(tree)
    walked = [(d, sorted(s), sorted(f)) for d, s, f in tf.gfile.Walk(top)]
    assert walked == [
        (top, ["sub"], ["a.txt"]),
        (os.path.join(top, "sub"), ["deep"], ["b.bin"]),
        (os.path.join(top, "sub", "deep"), [], []),
    ]
    bottom_up = [d for d, _, _ in tf.gfile.Walk(top, in_order=False)]
    assert bottom_up == [d for d, _, _ in reversed(walked)]
    assert [d for d, _, _ in tf.io.gfile.walk(top, topdown=False)] == bottom_up
    assert list(tf.gfile.Walk(str(tree / "nope"))) == []
    seen = []
    assert list(tf.io.gfile.walk(str(tree / "nope"), onerror=seen.append)) == []
    assert isinstance(seen[0], tf.errors.NotFoundError)
    pruned = []
    for d, subdirs, _ in tf.io.gfile.walk(top):
        pruned.append(d)
        subdirs.clear()
    assert pruned == [top]


def test_other_file_systems_are_refused():
    with pytest.raises(tf.errors.UnimplementedError) as info:
        tf.gfile.Exists("gs://bucket/model.ckpt")
    assert info.value.message == (
        "File system scheme 'gs' not implemented (file: 'gs://bucket/model.ckpt')"
    )
    assert file_io.join("file:///tmp", "a", "b") == "file:///tmp/a/b"
