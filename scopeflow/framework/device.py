"""Device strings as TF1 writes them (``"/job:worker/task:1/device:GPU:0"``).

scopeflow records the device an op was placed on; the NumPy executor ignores it and the JAX
executor may use it.
"""

from __future__ import annotations

_FIELDS = ("job", "replica", "task")


def parse_device(spec: str) -> dict[str, str]:
    """Splits a device string into its fields (``job``, ``replica``, ``task``, ``type``,
    ``index``), accepting TF1's short ``/cpu:0`` form; a ``*`` index is left unset."""
    if not isinstance(spec, str):
        raise TypeError(f"device must be a string or a function, got {type(spec).__name__}")
    out: dict[str, str] = {}
    for part in filter(None, spec.split("/")):
        key, _, rest = part.partition(":")
        low = key.lower()
        if low in _FIELDS:
            out[low] = rest
            continue
        if low == "device":
            kind, _, index = rest.partition(":")
        elif low in ("cpu", "gpu", "tpu") or key.isupper():
            kind, index = key, rest
        else:
            raise ValueError(
                f"Unknown attribute: '{part}' in '{spec}': expected job:, replica:, task:, "
                "device:, cpu: or gpu: parts"
            )
        out["type"] = kind.upper()
        if index and index != "*":
            out["index"] = index
    return out


def merge_device(outer: str, inner: str) -> str:
    """The device string for ``inner`` nested in ``outer``: fields set in ``inner`` win, and
    an inner device without an index keeps the outer one's, as in TF1.

    >>> merge_device("/job:a/device:GPU:1", "/device:CPU:*")
    '/job:a/device:CPU:1'
    """
    fields = parse_device(outer)
    fields.update(parse_device(inner))
    text = "".join(f"/{name}:{fields[name]}" for name in _FIELDS if name in fields)
    if "type" in fields:
        text += f"/device:{fields['type']}:{fields.get('index', '*')}"
    return text
