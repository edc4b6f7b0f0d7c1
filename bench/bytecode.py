"""The bytecode of a checkout, written before it is timed.

Where ``PYTHONDONTWRITEBYTECODE`` is set (this machine sets it), a checkout that never ran
without it has no ``__pycache__``: every process of it compiles every module from source,
about 0.6 G instructions and a tenth of a second more than one that has them. A user's install
has them (pip writes them; the first run writes them otherwise). A comparison of two checkouts
must not time that compilation for one of them only: each script that runs a checkout calls
:func:`compiled` first.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def compiled(code: Path) -> None:
    """Write the bytecode of ``code``'s ``ici_site`` package where it is missing or stale."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(code / "ici_site")], env=env, check=True,
                   stdout=subprocess.DEVNULL)
