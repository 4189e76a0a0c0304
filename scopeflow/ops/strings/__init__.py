"""String ops, TF's op types each registered once with shape rule, NumPy kernel and no
gradient (strings are ``bytes`` in ``object`` arrays, as ``tf.constant`` holds them):

- ``split.py``: ``StringSplit`` (``tf.string_split``), ``StringSplitV2`` (TF1's
  ``tf.strings.split``), both giving ``SparseTensor``s;
- ``join.py``: ``StringJoin`` (``tf.strings.join``), ``ReduceJoin`` (``tf.reduce_join``);
- ``transform.py``: ``StringLength``, ``Substr``, ``StaticRegexReplace``/``RegexReplace``,
  ``StaticRegexFullMatch``/``RegexFullMatch``, ``StringLower``/``StringUpper``,
  ``StringStrip``;
- ``convert.py``: ``StringToNumber`` (``tf.string_to_number``), ``AsString``
  (``tf.as_string``), ``EncodeBase64``/``DecodeBase64``, ``StringToHashBucketFast``
  (FarmHash, ``ops/kernels/farmhash.py``);
- ``common.py``: the kernels' helpers.
"""
