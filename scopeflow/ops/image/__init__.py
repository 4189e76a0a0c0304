"""Image ops (``tf.image``): resizing."""
