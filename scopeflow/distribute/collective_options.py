"""``tf.distribute.RunOptions`` and ``tf.distribute.experimental``'s collective options
(``CommunicationImplementation``, its old name ``CollectiveCommunication``,
``CommunicationOptions``, ``CollectiveHints``), as TF's: hints kept for strategies that run
collectives between replicas; with the one replica scopeflow's strategies run, none is read.

>>> options = CommunicationOptions(bytes_per_pack=1024, implementation="ring")
>>> print(options)
Options(bytes_per_pack=1024,timeout_seconds=None, implementation=CommunicationImplementation.RING)
"""

from __future__ import annotations

import collections
import copy
import enum
import logging

__all__ = [
    "CollectiveCommunication",
    "CollectiveHints",
    "CommunicationImplementation",
    "CommunicationOptions",
    "RunOptions",
]

_log = logging.getLogger("tensorflow")


class CommunicationImplementation(enum.Enum):
    """Which collective implementation to prefer: ``AUTO``, ``RING`` or ``NCCL``."""

    AUTO = "AUTO"
    RING = "RING"
    NCCL = "NCCL"


CollectiveCommunication = CommunicationImplementation  # TF's deprecated alias, the same enum


class CommunicationOptions:
    """Hints for collectives: pack size in bytes (0: automatic), a timeout in seconds and the
    implementation (a ``CommunicationImplementation`` or its name, any case).

    Raises:
        ValueError: ``bytes_per_pack`` is negative, or ``implementation`` names none.
    """

    def __init__(
        self, bytes_per_pack=0, timeout_seconds=None,
        implementation=CommunicationImplementation.AUTO,
    ):  # fmt: skip
        if bytes_per_pack < 0:
            raise ValueError(f"Argument `bytes_per_pack` must be >=0, Received {bytes_per_pack}.")
        if isinstance(implementation, str):
            implementation = CommunicationImplementation(implementation.upper())
        if not isinstance(implementation, CommunicationImplementation):
            raise ValueError(
                "Argument `implementation` must be instance of "
                "`tf.distribute.experimental.CommunicationImplementation`."
            )
        self.bytes_per_pack = bytes_per_pack
        self.timeout_seconds = timeout_seconds
        self.implementation = implementation

    def merge(self, options):
        """A copy with the fields ``options`` sets (not left at their defaults) taken from it."""
        merged = copy.deepcopy(self)
        if options is None:
            return merged
        if options.bytes_per_pack != 0:
            merged.bytes_per_pack = options.bytes_per_pack
        if options.timeout_seconds is not None:
            merged.timeout_seconds = options.timeout_seconds
        if options.implementation != CommunicationImplementation.AUTO:
            merged.implementation = options.implementation
        return merged

    def __str__(self) -> str:
        return (
            f"Options(bytes_per_pack={self.bytes_per_pack},timeout_seconds="
            f"{self.timeout_seconds}, implementation={self.implementation})"
        )


class CollectiveHints:
    """TF's deprecated form of ``CommunicationOptions``: making one gives a
    ``CommunicationOptions``."""

    def __new__(cls, bytes_per_pack=0, timeout_seconds=None):
        _log.warning("use distribute.experimental.CommunicationOptions instead")
        return CommunicationOptions(bytes_per_pack=bytes_per_pack, timeout_seconds=timeout_seconds)


class RunOptions(
    collections.namedtuple(
        "RunOptions",
        [
            "experimental_enable_dynamic_batch_size",
            "experimental_bucketizing_dynamic_shape",
            "experimental_xla_options",
        ],
    )
):
    """Options of ``Strategy.run`` (TPU strategies read them; one replica needs none)."""

    def __new__(
        cls, experimental_enable_dynamic_batch_size=True,
        experimental_bucketizing_dynamic_shape=False, experimental_xla_options=None,
    ):  # fmt: skip
        return super().__new__(
            cls, experimental_enable_dynamic_batch_size,
            experimental_bucketizing_dynamic_shape, experimental_xla_options,
        )  # fmt: skip
