"""``tensorflow.examples``: the tutorial modules TF1 shipped with its pip package and that
TF1 programs import (``tensorflow.examples.tutorials.mnist``)."""
