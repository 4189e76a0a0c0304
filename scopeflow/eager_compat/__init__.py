"""TF 2 APIs that TF1-style programs call in graph mode: ``tf.function`` (its Python function
built inline), ``tf.autograph`` (no conversion: graph code only)."""
