"""Layer 1: the course, the project and their typed configuration."""
