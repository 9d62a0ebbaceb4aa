"""Allow ``python -m ailit``."""

from ailit.cli import main

main()
