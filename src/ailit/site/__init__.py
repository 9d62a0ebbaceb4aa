"""Layer 4: one locale's mkdocs configuration and hooks, and the build of every locale."""
