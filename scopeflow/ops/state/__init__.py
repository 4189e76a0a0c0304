"""Stateful ops: variable storage and assignments, and the update ops of the optimizers."""
