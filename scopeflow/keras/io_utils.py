"""Where Keras's messages go: stdout while interactive logging is on (the default, per
thread), absl's ``logging.info`` once ``tf.keras.utils.disable_interactive_logging()`` is
called, as tf_keras routes its progress bars and callback messages.

>>> import scopeflow as tf
>>> tf.keras.utils.is_interactive_logging_enabled()
True
"""

from __future__ import annotations

import sys
import threading

_INTERACTIVE = threading.local()  # .enable: this thread's switch (on unless set)


def enable_interactive_logging() -> None:
    """Sends Keras's logs (progress bars, ``Epoch 1/2``, callbacks' messages) to stdout."""
    _INTERACTIVE.enable = True


def disable_interactive_logging() -> None:
    """Sends Keras's logs to absl's ``logging.info`` instead of stdout (for jobs on servers)."""
    _INTERACTIVE.enable = False


def is_interactive_logging_enabled() -> bool:
    """Whether Keras's logs go to stdout (True, the default) or to absl logging."""
    return getattr(_INTERACTIVE, "enable", True)


def print_msg(message: str, line_break: bool = True) -> None:
    """Writes ``message`` to stdout (a line unless ``line_break=False``) or, with interactive
    logging off, logs it with absl's ``logging.info`` as it is."""
    if is_interactive_logging_enabled():
        sys.stdout.write(message + "\n" if line_break else message)
        sys.stdout.flush()
    else:
        from absl import logging  # absl-py, a dependency: imported once logs go there

        logging.info(message)


__all__ = [
    "disable_interactive_logging",
    "enable_interactive_logging",
    "is_interactive_logging_enabled",
    "print_msg",
]
