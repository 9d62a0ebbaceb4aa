"""Layer 0: what every layer uses and that knows nothing of courses: errors, atomic files, the content-addressed cache, cache keys."""
