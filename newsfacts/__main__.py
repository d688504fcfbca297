"""`python -m newsfacts`: the same command line as the `newsfacts` script."""

from newsfacts.cli import main

main()
