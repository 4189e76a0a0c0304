"""``tf.image``: resizing, flips and crops, pixel-value and colour adjustments, boxes
(non-max suppression, crop and resize), image measures, PNG and JPEG codecs."""

from __future__ import annotations

from scopeflow.ops.image import adjust as _adjust
from scopeflow.ops.image import bounding_boxes as _bounding_boxes
from scopeflow.ops.image import codecs as _codecs
from scopeflow.ops.image import codecs_extra as _codecs_extra
from scopeflow.ops.image import color as _color
from scopeflow.ops.image import color_spaces as _color_spaces
from scopeflow.ops.image import combined_nms as _combined_nms
from scopeflow.ops.image import crop_resize as _crop_resize
from scopeflow.ops.image import distorted_box as _distorted_box
from scopeflow.ops.image import glimpse as _glimpse
from scopeflow.ops.image import nms as _nms
from scopeflow.ops.image import pad_resize as _pad_resize
from scopeflow.ops.image import patches as _patches
from scopeflow.ops.image import quality as _quality
from scopeflow.ops.image import resize as _resize
from scopeflow.ops.image import transforms as _transforms
from scopeflow.ops.image.adjust import *  # noqa: F403
from scopeflow.ops.image.bounding_boxes import *  # noqa: F403
from scopeflow.ops.image.codecs import *  # noqa: F403
from scopeflow.ops.image.codecs_extra import *  # noqa: F403
from scopeflow.ops.image.color import *  # noqa: F403
from scopeflow.ops.image.color_spaces import *  # noqa: F403
from scopeflow.ops.image.combined_nms import *  # noqa: F403
from scopeflow.ops.image.crop_resize import *  # noqa: F403
from scopeflow.ops.image.distorted_box import *  # noqa: F403
from scopeflow.ops.image.glimpse import *  # noqa: F403
from scopeflow.ops.image.nms import *  # noqa: F403
from scopeflow.ops.image.pad_resize import *  # noqa: F403
from scopeflow.ops.image.patches import *  # noqa: F403
from scopeflow.ops.image.quality import *  # noqa: F403
from scopeflow.ops.image.resize import *  # noqa: F403
from scopeflow.ops.image.transforms import *  # noqa: F403

transpose = transpose_image  # noqa: F405 - TF's v2 name, also in compat.v1
__all__ = sorted(
    [
        *_resize.__all__,
        *_transforms.__all__,
        *_adjust.__all__,
        *_color.__all__,
        *_color_spaces.__all__,
        *_patches.__all__,
        *_nms.__all__,
        *_combined_nms.__all__,
        *_glimpse.__all__,
        *_pad_resize.__all__,
        *_crop_resize.__all__,
        *_bounding_boxes.__all__,
        *_distorted_box.__all__,
        *_quality.__all__,
        *_codecs.__all__,
        *_codecs_extra.__all__,
        "transpose",
    ]
)
