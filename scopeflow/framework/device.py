"""Device strings as TF1 writes them (``"/job:worker/task:1/device:GPU:0"``).

scopeflow records the device an op was placed on; the NumPy executor ignores it and the JAX
executor may use it.
"""

from __future__ import annotations

_FIELDS = ("job", "replica", "task", "device")


def parse_device(spec: str) -> dict[str, str]:
    """Splits a device string into its fields, accepting TF1's short ``/cpu:0`` form."""
    if not isinstance(spec, str):
        raise TypeError(f"device must be a string or a function, got {type(spec).__name__}")
    out: dict[str, str] = {}
    for part in filter(None, spec.split("/")):
        key, _, rest = part.partition(":")
        low = key.lower()
        if low in ("job", "replica", "task"):
            out[low] = rest
        elif low == "device":
            kind, _, index = rest.partition(":")
            out["device"] = f"{kind.upper()}:{index or '*'}"
        elif low in ("cpu", "gpu", "tpu") or key.isupper():
            out["device"] = f"{key.upper()}:{rest or '*'}"
        else:
            raise ValueError(
                f"Unknown attribute: '{part}' in '{spec}': expected job:, replica:, task:, "
                "device:, cpu: or gpu: parts"
            )
    return out


def merge_device(outer: str, inner: str) -> str:
    """The device string for ``inner`` nested in ``outer``: fields set in ``inner`` win."""
    fields = parse_device(outer)
    fields.update(parse_device(inner))
    return "".join(f"/{name}:{fields[name]}" for name in _FIELDS if name in fields)
