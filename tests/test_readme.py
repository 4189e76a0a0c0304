"""The README's Python examples run and their assertions hold."""

from __future__ import annotations

import pathlib
import re

import scopeflow as tf

README = pathlib.Path(__file__).resolve().parents[1] / "README.md"


def test_readme_python_blocks_run_in_order():
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    assert len(blocks) == 22
    namespace: dict = {}
    tf.reset_default_graph()
    for block in blocks:
        exec(compile(block, str(README), "exec"), namespace)
    tf.reset_default_graph()
    assert namespace["r2"].name == "image_filters/conv2_1/Relu:0"
    assert namespace["a"].shape == (4, 32, 32, 32)
