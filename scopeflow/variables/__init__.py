"""Variables, variable scopes, the per-graph variable store and initializers."""
