"""Op families. Each module registers its op types once: inference, kernel, gradient."""
