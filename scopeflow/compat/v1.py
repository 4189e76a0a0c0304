"""``import scopeflow.compat.v1 as tf`` is ``import scopeflow as tf``."""

import sys

import scopeflow

sys.modules[__name__] = scopeflow
