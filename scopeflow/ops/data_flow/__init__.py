"""TF1's data-flow ops: queues (``queue_ops``) and the ``tf.FIFOQueue`` family over them
(``queues``)."""
