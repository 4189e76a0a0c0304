# ruff: noqa: E501 - one case per line, however long
"""The file operations tests/platform/test_file_io.py checks against TensorFlow: each case
runs in a fresh directory ``d`` holding ``a.txt`` ("hello\\nworld\\n"), ``sub/b.bin`` and
``sub/deep/``, with ``tf`` (TensorFlow's compat.v1 or scopeflow) and ``os`` bound. Shared by
``make_gfile_reference.py`` (under TensorFlow) and the test (under scopeflow)."""

from __future__ import annotations

import os

CASES = [
    # reading
    "tf.gfile.GFile(d + '/a.txt').read()",
    "tf.gfile.GFile(d + '/a.txt', 'rb').read()",
    "tf.gfile.GFile(d + '/a.txt').readlines()",
    "list(tf.gfile.GFile(d + '/a.txt'))",
    "tf.gfile.GFile(d + '/a.txt').size()",
    "(lambda f: (f.readline(), f.tell(), f.read(3), f.seek(1), f.read(2)))(tf.gfile.GFile(d + '/a.txt'))",
    "(lambda f: (f.seek(-2, 2), f.read()))(tf.gfile.GFile(d + '/a.txt'))",
    "(lambda f: (f.read(2), f.close(), f.read()))(tf.gfile.GFile(d + '/a.txt'))",
    "tf.gfile.GFile(d + '/nope').read()",
    "tf.gfile.GFile(d + '/nope').size()",
    "tf.gfile.GFile(d + '/sub').read()",
    "tf.gfile.GFile(d + '/a.txt').write('x')",
    "tf.gfile.GFile(d + '/w.txt', 'w').read()",
    "tf.gfile.GFile(d + '/a.txt', 'q').read()",
    # writing
    "(lambda f: (f.write('ab'), f.write(b'c'), f.tell(), f.close(), open(d + '/w.txt').read()))(tf.gfile.GFile(d + '/w.txt', 'w'))",
    "(lambda f: (f.write('!'), f.close(), open(d + '/a.txt').read()))(tf.gfile.GFile(d + '/a.txt', 'a'))",
    "(lambda f: (f.write('x'), f.close(), open(d + '/w.bin', 'rb').read()))(tf.gfile.GFile(d + '/w.bin', 'wb'))",
    "(lambda f: (f.close(), os.path.exists(d + '/w.txt')))(tf.gfile.GFile(d + '/w.txt', 'w'))",
    "tf.gfile.GFile(d + '/nodir/f', 'w').write('x')",
    # queries
    "(tf.gfile.Exists(d + '/a.txt'), tf.gfile.Exists(d + '/nope'), tf.io.gfile.exists(d))",
    "(tf.gfile.IsDirectory(d), tf.gfile.IsDirectory(d + '/a.txt'), tf.io.gfile.isdir(d + '/x'))",
    "sorted(tf.gfile.ListDirectory(d))",
    "sorted(tf.io.gfile.listdir(d + '/'))",
    "tf.gfile.ListDirectory(d + '/nope')",
    "tf.gfile.ListDirectory(d + '/a.txt')",
    "sorted(tf.gfile.Glob(d + '/*'))",
    "tf.gfile.Glob(d + '/zz*')",
    "sorted(tf.io.gfile.glob([d + '/a*', d + '/s*']))",
    "(lambda s: (s.length, s.is_directory))(tf.gfile.Stat(d + '/a.txt'))",
    "tf.io.gfile.stat(d).is_directory",
    "tf.gfile.Stat(d + '/nope')",
    "[(p.replace(d, '{d}'), sorted(s), sorted(f)) for p, s, f in tf.gfile.Walk(d)]",
    "[p.replace(d, '{d}') for p, _, _ in tf.io.gfile.walk(d, topdown=False)]",
    "list(tf.gfile.Walk(d + '/nope'))",
    # changes
    "(tf.gfile.MkDir(d + '/new'), os.path.isdir(d + '/new'))",
    "tf.gfile.MkDir(d + '/sub')",
    "tf.gfile.MkDir(d + '/x/y')",
    "(tf.gfile.MakeDirs(d + '/x/y/z'), os.path.isdir(d + '/x/y/z'))",
    "tf.gfile.MakeDirs(d + '/sub')",
    "tf.gfile.MakeDirs(d + '/a.txt/sub')",
    "(tf.gfile.Remove(d + '/a.txt'), os.path.exists(d + '/a.txt'))",
    "tf.gfile.Remove(d + '/nope')",
    "tf.gfile.Remove(d + '/sub')",
    "(tf.gfile.DeleteRecursively(d + '/sub'), sorted(os.listdir(d)))",
    "(tf.gfile.DeleteRecursively(d + '/a.txt'), sorted(os.listdir(d)))",
    "tf.gfile.DeleteRecursively(d + '/nope')",
    "(tf.gfile.Copy(d + '/a.txt', d + '/b.txt'), open(d + '/b.txt').read())",
    "tf.gfile.Copy(d + '/a.txt', d + '/sub/b.bin')",
    "(tf.io.gfile.copy(d + '/a.txt', d + '/sub/b.bin', overwrite=True), open(d + '/sub/b.bin').read())",
    "tf.gfile.Copy(d + '/nope', d + '/b.txt')",
    "tf.gfile.Copy(d + '/sub', d + '/sub2')",
    "(tf.gfile.Rename(d + '/a.txt', d + '/c.txt'), sorted(os.listdir(d)))",
    "tf.gfile.Rename(d + '/a.txt', d + '/sub/b.bin')",
    "(tf.io.gfile.rename(d + '/a.txt', d + '/sub/b.bin', overwrite=True), sorted(os.listdir(d)))",
    "tf.gfile.Rename(d + '/nope', d + '/c.txt')",
    "(tf.gfile.Rename(d + '/sub', d + '/moved'), sorted(os.listdir(d)))",
    "tf.gfile.Rename(d + '/a.txt', d + '/sub', overwrite=True)",
]


def make_tree(d: str) -> None:
    """The directory every case starts from."""
    with open(os.path.join(d, "a.txt"), "w") as f:
        f.write("hello\nworld\n")
    os.makedirs(os.path.join(d, "sub", "deep"))
    with open(os.path.join(d, "sub", "b.bin"), "wb") as f:
        f.write(b"\x00\x01")


def run_case(tf, expr: str, d: str) -> dict:
    """What ``expr`` did: ``{"value": ...}`` (as ``repr``) or ``{"error": type name,
    "message": ...}``, with ``d`` written ``{d}``."""
    try:
        value = eval(expr, {"tf": tf, "os": os, "d": d})
    except Exception as e:  # noqa: BLE001 - recorded
        message = str(getattr(e, "message", e))
        return {"error": type(e).__name__, "message": message.replace(d, "{d}")}
    return {"value": repr(value).replace(d, "{d}")}
