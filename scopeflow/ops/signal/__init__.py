"""Signal processing ops: FFTs (``fft.py``), framing and spectrograms, windows, mel and DCT
(``tf.signal``, ``tf.spectral``, ``tf.contrib.signal``)."""
