"""``python -m scopeflow run script.py``: see :mod:`scopeflow.cli`."""

import sys

from scopeflow.cli import main

sys.exit(main())
