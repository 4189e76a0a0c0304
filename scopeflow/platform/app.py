"""``tf.app``: ``run`` and ``flags``, as TF1's script shell.

>>> import scopeflow as tf
>>> tf.app.flags is tf.flags
True
"""

from __future__ import annotations

import sys

from scopeflow.platform import flags


def _parse_flags_tolerate_undef(argv):
    """Parses the flags it knows and hands the rest to ``main`` (absl would refuse them)."""
    return flags.FLAGS(sys.argv if argv is None else argv, known_only=True)


def run(main=None, argv=None):
    """Parses the flags in ``argv`` (default ``sys.argv``), then exits with
    ``sys.exit(main(remaining_argv))``, as TF1's ``tf.app.run`` (absl's ``app.run``).

    ``main`` defaults to the ``main`` function of the ``__main__`` module. Unknown flags are
    left in the argv that ``main`` gets; ``--help``/``--helpfull`` print every flag and exit.
    """
    from absl import app

    main = main or sys.modules["__main__"].main
    app.run(main=main, argv=argv, flags_parser=_parse_flags_tolerate_undef)


__all__ = ["flags", "run"]
