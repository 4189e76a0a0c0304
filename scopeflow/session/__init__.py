"""Sessions: running graphs. Variable values live here, one set per session."""
