"""Graphs, ops, tensors, dtypes, shapes, scopes and collections: the layer below variables."""
