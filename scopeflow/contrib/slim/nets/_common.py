"""What the slim nets share: the end-points dict built from an outputs collection, and the
depth of a 4-D input (TF 1.15's ``convert_collection_to_dict`` and ``last_dimension``)."""

from __future__ import annotations

from scopeflow.framework.graph_api import get_collection


def collection_to_dict(collection: str) -> dict:
    """Each tensor of ``collection`` under each of its aliases (its op's name when it has
    none), in the order the collection holds them."""
    end_points = {}
    for tensor in get_collection(collection):
        aliases = getattr(tensor, "aliases", None)
        if aliases is None:
            name = tensor.name
            aliases = [name[:-2] if name.endswith(":0") else name]
        for alias in aliases:
            end_points[alias] = tensor
    return end_points


def depth_of(inputs) -> int:
    """The static channel count of a rank-4 (or higher) input.

    Raises:
        ValueError: the rank or the last dimension is not known, as TF's slim nets.
    """
    shape = inputs.get_shape()
    if shape.ndims is None:
        raise ValueError("last dimension shape must be known but is None")
    if shape.ndims < 4:
        raise ValueError(f"rank of shape must be at least 4 not: {shape.ndims}")
    depth = shape.as_list()[-1]
    if depth is None:
        raise ValueError(f"last dimension shape must be known but is None: {shape}")
    return depth


def bottleneck_units(base_depth: int, num_units: int, stride: int) -> list[dict]:
    """The arguments of a ResNet block's bottleneck units: ``4 * base_depth`` outputs, the
    stride on the last unit only."""
    unit = {"depth": base_depth * 4, "depth_bottleneck": base_depth}
    return [dict(unit, stride=1) for _ in range(num_units - 1)] + [dict(unit, stride=stride)]


# Units per block of the 50-, 101-, 152- and 200-layer ResNets (v1 and v2 alike).
RESNET_UNITS = {50: (3, 4, 6, 3), 101: (3, 4, 23, 3), 152: (3, 8, 36, 3), 200: (3, 24, 36, 3)}
