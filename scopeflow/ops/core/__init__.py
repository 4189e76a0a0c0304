"""What every op family builds on: shape and dtype inference helpers (``infer.py``) and
the one-op builders gradient rules use (``build.py``)."""
