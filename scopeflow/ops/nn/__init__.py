"""Neural-network ops (``tf.nn``): activations, convolutions, pooling, bias and softmax,
cross-entropy losses, and the functions TF1 composes from other ops (dropout, moments...)."""
