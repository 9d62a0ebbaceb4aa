"""Files shipped inside built sites and bundles; verify.py is also imported by ailit."""
