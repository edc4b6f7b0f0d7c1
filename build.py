#!/usr/bin/env python3
"""Command line of ici_site: `python build.py` builds every city; see `--help`."""

from ici_site.cli import run

if __name__ == "__main__":
    run()
