"""The comparison every program test makes: scopeflow's results against the numbers TF 2.21
printed for the same program, nested dicts and lists walked, floats within float32 noise;
and the rows the slim net programs record of their end points."""

from __future__ import annotations

import pytest


def close(got, want, path="result"):
    """Asserts ``got`` equals ``want`` (floats to rel 1e-4, abs 1e-5), naming the path of the
    first difference."""
    if isinstance(want, dict):
        assert sorted(got) == sorted(want), path
        for key in want:
            close(got[key], want[key], f"{path}[{key!r}]")
    elif isinstance(want, list):
        assert len(got) == len(want), path
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            close(g, w, f"{path}[{i}]")
    elif isinstance(want, float):
        assert got == pytest.approx(want, rel=1e-4, abs=1e-5), path
    else:
        assert got == want, path


def end_point_rows(end_points) -> list:
    """A slim net's end points as ``[key, tensor name, static shape]`` rows, in their order."""
    return [[k, v.name, v.shape.as_list()] for k, v in end_points.items()]
