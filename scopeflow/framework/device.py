"""Device strings as TF1 writes them (``"/job:worker/task:1/device:GPU:0"``).

scopeflow records the device an op was placed on; the NumPy executor ignores it and the JAX
executor may use it.
"""

from __future__ import annotations

_FIELDS = ("job", "replica", "task")


def parse_device(spec: str) -> dict[str, str]:
    """Splits a device string into its fields (``job``, ``replica``, ``task``, ``type``,
    ``index``), accepting TF1's short ``/cpu:0`` form and a :class:`DeviceSpec`; a ``*``
    index is left unset."""
    if isinstance(spec, DeviceSpec):
        spec = spec.to_string()
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


class DeviceSpec:
    """A device as its parts (``job``, ``replica``, ``task``, ``device_type``,
    ``device_index``), each ``None`` where unset; ``tf.device`` accepts one.

    >>> spec = DeviceSpec.from_string("/job:ps/task:3/gpu:1")
    >>> spec.to_string(), spec.task, spec.device_type
    ('/job:ps/task:3/device:GPU:1', 3, 'GPU')
    """

    __slots__ = ("job", "replica", "task", "device_type", "device_index")

    def __init__(self, job=None, replica=None, task=None, device_type=None, device_index=None):
        self.job = job
        self.replica = _as_int(replica, "replica")
        self.task = _as_int(task, "task")
        self.device_type = _device_type(device_type)
        self.device_index = _as_int(device_index, "device_index")

    @classmethod
    def from_string(cls, spec: str) -> DeviceSpec:
        """The spec of a device string (``"/job:w/task:0/device:GPU:1"``, ``"/cpu:0"``)."""
        out = cls()
        out.parse_from_string(spec)
        return out

    def parse_from_string(self, spec: str) -> DeviceSpec:
        """Sets the parts that ``spec`` names (TF1's in-place form); returns ``self``."""
        for field, value in _parts(spec).items():
            setattr(self, field, value)
        return self

    def merge_from(self, dev: DeviceSpec) -> None:
        """Sets each part that ``dev`` has set (TF1's in-place form)."""
        for field in self.__slots__:
            value = getattr(dev, field)
            if value is not None:
                setattr(self, field, value)

    def make_merged_spec(self, dev: DeviceSpec) -> DeviceSpec:
        """A new spec: this one's parts, overridden by those ``dev`` has set."""
        out = self.replace()
        out.merge_from(dev)
        return out

    def replace(self, **kwargs) -> DeviceSpec:
        """A copy with the given parts replaced."""
        fields = {field: getattr(self, field) for field in self.__slots__}
        fields.update(kwargs)
        return DeviceSpec(**fields)

    def to_string(self) -> str:
        """The device string, e.g. ``"/job:worker/replica:0/task:1/device:GPU:0"``."""
        text = "".join(
            f"/{field}:{getattr(self, field)}"
            for field in _FIELDS
            if getattr(self, field) is not None
        )
        if self.device_type is not None:
            index = "*" if self.device_index is None else self.device_index
            text += f"/device:{self.device_type}:{index}"
        return text

    def _key(self) -> tuple:
        return tuple(getattr(self, field) for field in self.__slots__)

    def __eq__(self, other) -> bool:
        return isinstance(other, DeviceSpec) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        parts = ", ".join(f"{field}={getattr(self, field)}" for field in self.__slots__)
        return f"<DeviceSpec({parts})>"


def _as_int(value, field: str) -> int | None:
    if value is None or value == "*":
        return None
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"DeviceSpec {field}: expected an integer, got {value!r}") from None


def _device_type(kind):
    if kind is None:
        return None
    return kind.upper() if kind.lower() in ("cpu", "gpu", "tpu") else kind


def _parts(spec: str) -> dict:
    """The DeviceSpec fields that the device string ``spec`` sets."""
    fields = parse_device(spec)
    out = {"job": fields.get("job"), "device_type": fields.get("type")}
    for name in ("replica", "task"):
        out[name] = _as_int(fields.get(name), name)
    out["device_index"] = _as_int(fields.get("index"), "device_index")
    return {field: value for field, value in out.items() if value is not None}
