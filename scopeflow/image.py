"""``tf.image``: resizing, flips and crops, pixel-value adjustments."""

from __future__ import annotations

from scopeflow.ops.image import adjust as _adjust
from scopeflow.ops.image import patches as _patches
from scopeflow.ops.image import resize as _resize
from scopeflow.ops.image import transforms as _transforms
from scopeflow.ops.image.adjust import *  # noqa: F403
from scopeflow.ops.image.patches import *  # noqa: F403
from scopeflow.ops.image.resize import *  # noqa: F403
from scopeflow.ops.image.transforms import *  # noqa: F403

transpose = transpose_image  # noqa: F405 - TF's v2 name, also in compat.v1
__all__ = sorted(
    [*_resize.__all__, *_transforms.__all__, *_adjust.__all__, *_patches.__all__, "transpose"]
)
