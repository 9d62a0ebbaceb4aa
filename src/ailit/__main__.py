"""Allow ``python -m ailit``."""

from ailit.commands.cli import main

main()
