"""``tf.math.special``: Bessel functions, Dawson's, exponential, Fresnel and Spence's integrals
(``tf.math.special.bessel_j0``...), as TF files them; ``scopeflow.math`` holds it as
``special``."""

from __future__ import annotations

from scopeflow.ops.math.special import bessel_i0, bessel_i0e, bessel_i1, bessel_i1e  # noqa: F401
from scopeflow.ops.math.special_functions import *  # noqa: F403
