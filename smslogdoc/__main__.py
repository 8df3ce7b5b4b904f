"""`python -m smslogdoc` runs the command line."""

from smslogdoc.cli import main

main()
