"""The ``checkpoint`` state file beside a run's checkpoints, and finding checkpoints.

The file is a ``CheckpointState`` message in protobuf text format, as TF1 writes it::

    model_checkpoint_path: "model.ckpt-20"
    all_model_checkpoint_paths: "model.ckpt-10"
    all_model_checkpoint_paths: "model.ckpt-20"

Paths are stored as TF1 stores them: when the save directory was given as a relative path,
relative paths are rewritten relative to that directory (so the directory can be moved);
absolute paths stay absolute unless the Saver has ``save_relative_paths=True``. Readers join
relative paths to the directory the file is in.
"""

from __future__ import annotations

import glob
import logging
import os

from scopeflow.train.bundle import index_filename
from scopeflow.train.files import write_atomically
from scopeflow.train.protos import messages

_log = logging.getLogger("scopeflow")
_MAX_STATE_BYTES = 16 << 20  # a state file lists paths; anything this large is not one


def _state_class():
    return messages().CheckpointState


def _state_path(checkpoint_dir: str, latest_filename: str | None) -> str:
    return os.path.join(checkpoint_dir, latest_filename or "checkpoint")


def generate_checkpoint_state_proto(
    save_dir,
    model_checkpoint_path,
    all_model_checkpoint_paths=None,
    all_model_checkpoint_timestamps=None,
    last_preserved_timestamp=None,
):
    """A ``CheckpointState`` for ``save_dir``; ``model_checkpoint_path`` is appended to
    ``all_model_checkpoint_paths`` when it is not their last entry."""
    paths = list(all_model_checkpoint_paths or [])
    if not paths or paths[-1] != model_checkpoint_path:
        paths.append(model_checkpoint_path)
    if all_model_checkpoint_timestamps is not None and len(all_model_checkpoint_timestamps) != len(
        paths
    ):
        raise ValueError(
            f"Checkpoint timestamps, if provided, must match checkpoint paths (got paths "
            f"{paths} and timestamps {all_model_checkpoint_timestamps})"
        )
    if not os.path.isabs(save_dir):
        # A relative save directory: store relative paths relative to it, as TF1 does.
        def rebase(p):
            return p if os.path.isabs(p) else os.path.relpath(p, save_dir)

        model_checkpoint_path = rebase(model_checkpoint_path)
        paths = [rebase(p) for p in paths]
    state = _state_class()(
        model_checkpoint_path=model_checkpoint_path, all_model_checkpoint_paths=paths
    )
    if all_model_checkpoint_timestamps is not None:
        state.all_model_checkpoint_timestamps.extend(all_model_checkpoint_timestamps)
    if last_preserved_timestamp is not None:
        state.last_preserved_timestamp = last_preserved_timestamp
    return state


def update_checkpoint_state(
    save_dir,
    model_checkpoint_path,
    all_model_checkpoint_paths=None,
    latest_filename=None,
    all_model_checkpoint_timestamps=None,
    last_preserved_timestamp=None,
    save_relative_paths=False,
) -> None:
    """Writes the state file of ``save_dir`` (atomically) naming the latest checkpoint.

    With ``save_relative_paths``, absolute paths are stored relative to ``save_dir``.

    Raises:
        RuntimeError: the checkpoint's path is the state file's own.
    """
    paths = list(all_model_checkpoint_paths or [])
    if save_relative_paths:

        def relative(p):
            return os.path.relpath(p, save_dir) if os.path.isabs(p) else p

        model_checkpoint_path = relative(model_checkpoint_path)
        paths = [relative(p) for p in paths]
    state = generate_checkpoint_state_proto(
        save_dir,
        model_checkpoint_path,
        paths,
        all_model_checkpoint_timestamps,
        last_preserved_timestamp,
    )
    state_file = _state_path(save_dir, latest_filename)
    if state_file == state.model_checkpoint_path:
        raise RuntimeError(
            f"Save path '{model_checkpoint_path}' conflicts with path used for checkpoint "
            "state.  Please use a different save path."
        )
    from google.protobuf import text_format

    write_atomically(state_file, text_format.MessageToString(state).encode())


def get_checkpoint_state(checkpoint_dir, latest_filename=None):
    """The ``CheckpointState`` in ``checkpoint_dir`` with its relative paths joined to the
    directory, or ``None`` when there is no readable state file (as TF1, a malformed one is
    logged and ignored).

    Raises:
        ValueError: the state file names no checkpoint.
    """
    from google.protobuf import text_format

    checkpoint_dir = os.fspath(checkpoint_dir)
    path = _state_path(checkpoint_dir, latest_filename)
    if not os.path.isfile(path):
        return None
    try:
        if os.path.getsize(path) > _MAX_STATE_BYTES:
            raise ValueError(f"{os.path.getsize(path)} bytes is too large for a state file")
        with open(path, "rb") as f:
            text = f.read().decode("utf-8")
        state = text_format.Parse(text, _state_class()())
    except (OSError, ValueError, text_format.ParseError) as e:
        _log.warning("%s: %s: Checkpoint ignored", path, e)
        return None
    if not state.model_checkpoint_path:
        raise ValueError("Invalid checkpoint state loaded from " + checkpoint_dir)
    if not os.path.isabs(state.model_checkpoint_path):
        state.model_checkpoint_path = os.path.join(checkpoint_dir, state.model_checkpoint_path)
    for i, p in enumerate(state.all_model_checkpoint_paths):
        if not os.path.isabs(p):
            state.all_model_checkpoint_paths[i] = os.path.join(checkpoint_dir, p)
    return state


def checkpoint_exists(checkpoint_prefix) -> bool:
    """Whether a checkpoint (its ``.index`` file, or a V1 file) exists at the prefix."""
    prefix = os.fspath(checkpoint_prefix)
    paths = (index_filename(prefix), prefix)
    return any(os.path.exists(p) for p in paths) or any(glob.glob(p) for p in paths)


def latest_checkpoint(checkpoint_dir, latest_filename=None) -> str | None:
    """The prefix of the newest checkpoint recorded in ``checkpoint_dir``, if it exists.

    >>> latest_checkpoint("/nonexistent") is None
    True
    """
    state = get_checkpoint_state(checkpoint_dir, latest_filename)
    if state is None or not state.model_checkpoint_path:
        return None
    if checkpoint_exists(state.model_checkpoint_path):
        return state.model_checkpoint_path
    _log.error("Couldn't match files for checkpoint %s", state.model_checkpoint_path)
    return None


def get_checkpoint_mtimes(checkpoint_prefixes) -> list[float]:
    """The modification times of the checkpoints that exist among ``checkpoint_prefixes``."""
    times = []
    for prefix in checkpoint_prefixes:
        for path in (index_filename(prefix), prefix):
            if os.path.isfile(path):
                times.append(os.path.getmtime(path))
                break
    return times


def remove_checkpoint(checkpoint_prefix, checkpoint_format_version=2, meta_graph_suffix="meta"):
    """Deletes the files of a checkpoint: its index, data shards and ``.meta`` file."""
    prefix = os.fspath(checkpoint_prefix)
    doomed = [index_filename(prefix), f"{prefix}.{meta_graph_suffix}"]
    doomed += glob.glob(glob.escape(prefix) + ".data-?????-of-?????")
    if checkpoint_format_version == 1:
        doomed.append(prefix)
    for path in doomed:
        try:
            os.remove(path)
        except FileNotFoundError:
            pass
        except OSError as e:
            _log.warning("Ignoring: could not delete %s: %s", path, e)
