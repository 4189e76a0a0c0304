"""Array ops: placeholders, identity, reshapes and fills (``basic``), shape queries
(``shape``), casts, concatenation and splits (``join``), padding, slicing and gathers."""
