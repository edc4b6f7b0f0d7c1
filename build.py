#!/usr/bin/env python3
"""Command line of ici_site: `python build.py` builds every city; see `--help`."""

import sys

from ici_site.cli import main

if __name__ == "__main__":
    sys.exit(main())
