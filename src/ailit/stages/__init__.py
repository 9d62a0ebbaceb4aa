"""Layer 3: the build stages of one module in one locale: localize, execute, render, handouts."""
