"""Sparse tensors: ``SparseTensor`` (``tensor.py``) and the ops on its three component
tensors, TF1's op types each registered once with shape rule, NumPy kernel and gradient:

- ``dense.py``: to and from dense (``SparseToDense``), sparse-dense products, sums and
  element-wise ``*``/``/`` (``SparseTensorDenseMatMul``, ``SparseTensorDenseAdd``,
  ``SparseDenseCwiseMul``/``Div``);
- ``combine.py``: ``SparseAdd``, ``SparseConcat``, ``SparseReduceSum``/``SparseReduceSumSparse``;
- ``structure.py``: ``SparseReorder``, ``SparseReshape``, ``SparseSlice``,
  ``SparseFillEmptyRows``, and ``sparse_retain`` (built from gathers, as in TF1);
- ``merge.py``: ``tf.sparse.expand_dims``, ``tf.sparse_merge``, ``tf.sparse_to_indicator``
  (no op types of their own: built from dense ops and a ``SparseReorder``, as in TF1);
- ``segment.py``: ``Unique``, ``SegmentSum``, ``SparseSegmentSum``/``Mean``/``SqrtN`` and
  ``tf.nn.embedding_lookup_sparse`` on top of them;
- ``rows.py``: NumPy helpers the kernels share (row-major order of index rows, checks).
"""
