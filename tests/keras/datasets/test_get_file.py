"""tf.keras.utils.get_file with downloads replaced by local copies (no network)."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import tarfile
import urllib.request
import zipfile

import pytest

import scopeflow as tf

DATA = b"scopeflow keras data\n"
SHA = hashlib.sha256(DATA).hexdigest()
MD5 = hashlib.md5(DATA).hexdigest()


@pytest.fixture
def served(tmp_path, monkeypatch):
    """Downloads come from tmp_path/served/<last part of the URL>; each is logged."""
    src = tmp_path / "served"
    src.mkdir()
    log = []

    def fake_urlretrieve(url, filename, reporthook=None):
        log.append((url, os.path.basename(filename)))
        shutil.copyfile(src / url.rsplit("/", 1)[1], filename)
        if reporthook:
            reporthook(1, 8192, os.path.getsize(filename))
        return filename, None

    monkeypatch.setattr(urllib.request, "urlretrieve", fake_urlretrieve)
    return src, log


def test_downloads_once_into_cache_and_checks_the_hash(tmp_path, served, capsys):
    src, log = served
    (src / "a.txt").write_bytes(DATA)
    cache = tmp_path / "cache"
    path = tf.keras.utils.get_file(origin="https://h/x/a.txt", file_hash=SHA, cache_dir=cache)
    assert path == os.path.join(cache, "datasets", "a.txt") and open(path, "rb").read() == DATA
    assert "Downloading data from https://h/x/a.txt" in capsys.readouterr().out
    again = tf.keras.utils.get_file("a.txt", "https://h/x/a.txt", md5_hash=MD5, cache_dir=cache)
    assert again == path
    assert len(log) == 1 and log[0][1].startswith("a.txt.") and log[0][1].endswith(".part")
    assert os.listdir(os.path.join(cache, "datasets")) == ["a.txt"]


def test_stale_cached_file_is_downloaded_again(tmp_path, served, capsys):
    src, log = served
    (src / "a.txt").write_bytes(DATA)
    os.makedirs(tmp_path / "datasets")
    (tmp_path / "datasets" / "a.txt").write_bytes(b"old")
    path = tf.keras.utils.get_file("a.txt", "https://h/a.txt", file_hash=SHA, cache_dir=tmp_path)
    assert "hash does not match the original value" in capsys.readouterr().out
    assert open(path, "rb").read() == DATA and len(log) == 1


def test_corrupted_download_raises_and_leaves_nothing(tmp_path, served):
    src, _ = served
    (src / "a.txt").write_bytes(b"truncated")
    with pytest.raises(ValueError, match="Incomplete or corrupted file detected"):
        tf.keras.utils.get_file("a.txt", "https://h/a.txt", file_hash=SHA, cache_dir=tmp_path)
    assert os.listdir(tmp_path / "datasets") == []


def test_untar_extract_and_keras_home(tmp_path, served, monkeypatch):
    src, _ = served
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name in ("pack/inner.txt", "../escaped.txt"):
            info = tarfile.TarInfo(name)
            info.size = len(DATA)
            tar.addfile(info, io.BytesIO(DATA))
    (src / "pack.tar.gz").write_bytes(buf.getvalue())
    with zipfile.ZipFile(src / "z.zip", "w") as z:
        z.writestr("zipped/b.txt", DATA)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "home"))
    with pytest.warns(UserWarning, match="Skipping invalid path .*'../escaped.txt'"):
        folder = tf.keras.utils.get_file("pack", "https://h/pack.tar.gz", untar=True)
    assert not (tmp_path / "home" / "escaped.txt").exists()
    assert folder == str(tmp_path / "home" / "datasets" / "pack")
    assert open(os.path.join(folder, "inner.txt"), "rb").read() == DATA
    path = tf.keras.utils.get_file("z.zip", "https://h/z.zip", extract=True, cache_subdir="sub")
    assert path == str(tmp_path / "home" / "sub" / "z.zip")
    assert (tmp_path / "home" / "sub" / "zipped" / "b.txt").read_bytes() == DATA


def test_errors(tmp_path):
    with pytest.raises(ValueError, match='specify the "origin"'):
        tf.keras.utils.get_file("a.txt")
    with pytest.raises(ValueError, match="Can't parse the file name"):
        tf.keras.utils.get_file(origin="https://h/", cache_dir=tmp_path)


def test_validate_file(tmp_path):
    (tmp_path / "f").write_bytes(DATA)
    assert tf.keras.utils.validate_file(tmp_path / "f", SHA)
    assert tf.keras.utils.validate_file(tmp_path / "f", MD5)
    assert not tf.keras.utils.validate_file(tmp_path / "f", MD5, algorithm="sha256")
