"""``tf.keras.utils.get_file``: a file downloaded once into Keras's cache
(``~/.keras/datasets``, or ``$KERAS_HOME/datasets``) and found there afterwards, checked
against a hash, optionally unpacked.

The download goes to a temporary file beside the target, is checked, and only then renamed
into place, so an interrupted or corrupted download never leaves a file that a later call
would take for the real one. ``urllib`` (with ``ssl`` and ``http``) is imported only when a
file has to be downloaded, ``tarfile`` and ``zipfile`` only when one is unpacked.

>>> import os, tempfile, scopeflow as tf
>>> with tempfile.TemporaryDirectory() as cache:
...     os.makedirs(os.path.join(cache, "datasets"))
...     with open(os.path.join(cache, "datasets", "a.txt"), "w") as f:
...         _ = f.write("hi")
...     path = tf.keras.utils.get_file("a.txt", "https://x/a.txt", cache_dir=cache)
...     print(os.path.relpath(path, cache))
datasets/a.txt
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import warnings

from scopeflow.keras.callbacks import Progbar

_FETCH_ERROR = "URL fetch failure on {}: {} -- {}"


def _hasher(algorithm: str, file_hash: str | None = None):
    if algorithm == "sha256" or (
        algorithm == "auto" and file_hash is not None and len(file_hash) == 64
    ):
        return hashlib.sha256()
    if algorithm in ("md5", "auto"):
        return hashlib.md5()
    raise ValueError(f"hash_algorithm must be 'auto', 'sha256' or 'md5', got {algorithm!r}.")


def hash_file(fpath, algorithm="sha256", chunk_size=65535) -> str:
    """The hex digest of the file ``fpath`` (``algorithm``: ``"sha256"``, ``"md5"``, or a
    ``hashlib`` object)."""
    hasher = _hasher(algorithm) if isinstance(algorithm, str) else algorithm
    with open(fpath, "rb") as f:
        for chunk in iter(lambda: f.read(chunk_size), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def validate_file(fpath, file_hash, algorithm="auto", chunk_size=65535) -> bool:
    """Whether the file ``fpath`` has the hash ``file_hash`` (``algorithm="auto"``: SHA-256
    for a 64-character hash, MD5 otherwise)."""
    return str(hash_file(fpath, _hasher(algorithm, file_hash), chunk_size)) == str(file_hash)


def _cache_root(cache_dir) -> str:
    if cache_dir is None:
        cache_dir = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    root = os.path.expanduser(os.fspath(cache_dir))
    if os.path.isdir(root) and not os.access(root, os.W_OK):
        root = os.path.join(tempfile.gettempdir(), ".keras")
    return root


def _inside(base: str, target: str) -> bool:
    base = os.path.realpath(base)
    return os.path.commonpath([base, os.path.realpath(target)]) == base


def _safe_tar_members(archive, path: str):
    for member in archive.getmembers():
        bad_link = (member.issym() or member.islnk()) and not _inside(
            path, os.path.join(path, os.path.dirname(member.name), member.linkname)
        )
        if _inside(path, os.path.join(path, member.name)) and not bad_link:
            yield member
        else:
            warnings.warn(
                f"Skipping invalid path during archive extraction: '{member.name}'.", stacklevel=4
            )


def extract_archive(file_path, path=".", archive_format="auto") -> bool:
    """Unpacks the tar (``.tar``, ``.tar.gz``, ``.tar.bz2``) or zip file ``file_path`` into
    ``path``; ``archive_format``: ``"auto"`` (tar then zip), ``"tar"``, ``"zip"``, a list of
    these or ``None`` (nothing). Members that would land outside ``path`` are skipped.
    Returns whether the file was one of the formats and was unpacked."""
    import tarfile
    import zipfile

    if archive_format is None:
        return False
    formats = ["tar", "zip"] if archive_format == "auto" else archive_format
    if isinstance(formats, str):
        formats = [formats]
    file_path, path = os.fspath(file_path), os.fspath(path)
    for kind in formats:
        if kind not in ("tar", "zip"):
            raise ValueError(f"archive_format must be 'auto', 'tar' or 'zip', got {kind!r}.")
        if kind == "zip" and zipfile.is_zipfile(file_path):
            with zipfile.ZipFile(file_path) as archive:
                archive.extractall(path)
            return True
        if kind == "tar" and tarfile.is_tarfile(file_path):
            try:
                with tarfile.open(file_path) as archive:
                    safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
                    archive.extractall(
                        path, members=list(_safe_tar_members(archive, path)), **safe
                    )
            except (tarfile.TarError, RuntimeError, KeyboardInterrupt):
                if os.path.isfile(path):
                    os.remove(path)
                elif os.path.exists(path):
                    shutil.rmtree(path)
                raise
            return True
    return False


class _DownloadProgress:
    """``urlretrieve``'s report hook drawing Keras's progress bar."""

    def __init__(self):
        self.progbar = None
        self.finished = False

    def __call__(self, block_num, block_size, total_size):
        if self.progbar is None:
            self.progbar = Progbar(None if total_size == -1 else total_size)
        current = block_num * block_size
        target = self.progbar.target
        if target is None or current < target:
            self.progbar.update(current)
        elif not self.finished:
            self.progbar.update(target)
            self.finished = True


def _download(origin: str, fpath: str, file_hash, hash_algorithm: str) -> None:
    import urllib.error
    import urllib.request

    print(f"Downloading data from {origin}")
    fd, tmp = tempfile.mkstemp(prefix=os.path.basename(fpath) + ".", suffix=".part",
                               dir=os.path.dirname(fpath))
    os.close(fd)
    try:
        try:
            urllib.request.urlretrieve(origin, tmp, _DownloadProgress())
        except urllib.error.HTTPError as e:
            raise Exception(_FETCH_ERROR.format(origin, e.code, e.msg)) from e
        except urllib.error.URLError as e:
            raise Exception(_FETCH_ERROR.format(origin, e.errno, e.reason)) from e
        if file_hash is not None and not validate_file(tmp, file_hash, hash_algorithm):
            raise ValueError(
                f"Incomplete or corrupted file detected. The {hash_algorithm} file hash of "
                f"{origin} does not match the provided value of {file_hash} (got "
                f"{hash_file(tmp, _hasher(hash_algorithm, file_hash))}); nothing was saved."
            )
        os.replace(tmp, fpath)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def get_file(
    fname=None,
    origin=None,
    untar=False,
    md5_hash=None,
    file_hash=None,
    cache_subdir="datasets",
    hash_algorithm="auto",
    extract=False,
    archive_format="auto",
    cache_dir=None,
) -> str:
    """The local path of ``origin``'s file, downloaded into
    ``<cache_dir>/<cache_subdir>/<fname>`` unless it is already there.

    Args:
      fname: the file's name in the cache (default: the last part of ``origin``'s path); an
        absolute path is used as it is.
      origin: the URL to download from.
      untar: unpack ``<fname>.tar.gz`` into the folder ``<fname>`` and return that folder
        (a trailing ``.tar.gz`` on ``fname`` is dropped).
      md5_hash: the file's MD5 (the same as ``file_hash`` with ``hash_algorithm="md5"``).
      file_hash: the file's SHA-256 or MD5: a cached file that does not match is downloaded
        again, a download that does not match raises ``ValueError``.
      cache_subdir: the folder under ``cache_dir``.
      hash_algorithm: ``"auto"`` (SHA-256 for a 64-character hash, else MD5), ``"sha256"``
        or ``"md5"``.
      extract: unpack the file beside itself (``archive_format``: ``"auto"``, ``"tar"``,
        ``"zip"`` or ``None``).
      cache_dir: default ``$KERAS_HOME``, else ``~/.keras`` (``/tmp/.keras`` when that
        folder is read-only).
    """
    if origin is None:
        raise ValueError(
            'Please specify the "origin" argument (URL of the file to download).'
        )
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    datadir = os.path.join(_cache_root(cache_dir), cache_subdir)
    os.makedirs(datadir, exist_ok=True)
    fname = os.fspath(fname) if fname is not None else None
    if not fname:
        from urllib.parse import urlsplit

        fname = os.path.basename(urlsplit(origin).path)
        if not fname:
            raise ValueError(
                f"Can't parse the file name from the origin provided: '{origin}'. "
                "Please specify the `fname` as the input param."
            )
    if untar:
        if fname.endswith(".tar.gz"):
            fname = fname[: -len(".tar.gz")]
        untar_fpath = os.path.join(datadir, fname)
        fpath = untar_fpath + ".tar.gz"
    else:
        fpath = os.path.join(datadir, fname)
    download = not os.path.exists(fpath)
    if not download and file_hash is not None and not validate_file(
        fpath, file_hash, hash_algorithm
    ):
        print(
            "A local file was found, but it seems to be incomplete or outdated because the "
            f"{hash_algorithm} file hash does not match the original value of {file_hash} so "
            "we will re-download the data."
        )
        download = True
    if download:
        _download(origin, fpath, file_hash, hash_algorithm)
    if untar:
        if not os.path.exists(untar_fpath):
            extract_archive(fpath, datadir, archive_format="tar")
        return untar_fpath
    if extract:
        extract_archive(fpath, datadir, archive_format)
    return fpath


__all__ = ["extract_archive", "get_file", "hash_file", "validate_file"]
