"""Layer 6: the command line and the translators' workflow on top of everything."""
