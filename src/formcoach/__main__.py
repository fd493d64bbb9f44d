"""Allow ``python -m formcoach``."""

from formcoach.cli.app import main

main()
