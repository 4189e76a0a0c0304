"""TF1's recurrent networks: the ``tf.nn.rnn_cell`` cells (``cell_base.py``, ``cells.py``,
``wrappers.py``; the namespace in ``rnn_cell.py``) and the drivers that run them over a
sequence (``dynamic.py``: a ``tf.while_loop`` over TensorArrays; ``static.py``: unrolled;
``raw.py``: a loop a user's function steers)."""
