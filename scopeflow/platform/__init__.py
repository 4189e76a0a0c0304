"""The program around the model, as TF1's ``tensorflow/python/platform``: ``tf.app.run``,
``tf.flags`` (absl-py's flags), ``tf.logging`` (Python's ``logging``) and ``tf.gfile`` /
``tf.io.gfile`` (local files, with TF1's error types)."""
