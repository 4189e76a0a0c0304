"""Where in the user's code a graph element was made.

Every op remembers the frames outside scopeflow that created it, so errors can point at the
user's own line instead of a frame inside this package.
"""

from __future__ import annotations

import linecache
import os
import sys

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
_MAX_FRAMES = 5

Frame = tuple[str, int, str]  # (filename, lineno, function name)


_internal: dict[str, bool] = {}  # filename -> whether it belongs to scopeflow


def is_internal(filename: str) -> bool:
    """Whether the code file ``filename`` belongs to scopeflow."""
    inside = _internal.get(filename)
    if inside is None:
        inside = _internal[filename] = filename.startswith(_PACKAGE_DIR)
    return inside


def user_frames(limit: int = _MAX_FRAMES) -> tuple[Frame, ...]:
    """Returns up to ``limit`` calling frames outside scopeflow, innermost first."""
    frame = sys._getframe(1)
    out: list[Frame] = []
    internal = _internal
    while frame is not None and len(out) < limit:
        code = frame.f_code
        filename = code.co_filename
        inside = internal.get(filename)
        if inside is None:
            inside = internal[filename] = filename.startswith(_PACKAGE_DIR)
        if not inside:
            out.append((filename, frame.f_lineno, code.co_name))
        frame = frame.f_back
    return tuple(out)


def format_location(frames: tuple[Frame, ...]) -> str:
    """``"file.py:12"`` for the innermost user frame, or ``"<unknown>"``."""
    if not frames:
        return "<unknown>"
    filename, lineno, _ = frames[0]
    return f"{filename}:{lineno}"


def format_frames(frames: tuple[Frame, ...]) -> str:
    """A short traceback, outermost first, in the style of Python's own."""
    lines = []
    for filename, lineno, name in reversed(frames):
        lines.append(f'  File "{filename}", line {lineno}, in {name}')
        text = linecache.getline(filename, lineno).strip()
        if text:
            lines.append(f"    {text}")
    return "\n".join(lines)
