"""`python -m smslogdoc` runs the command line."""

import sys

from smslogdoc.cli import main

sys.exit(main())
