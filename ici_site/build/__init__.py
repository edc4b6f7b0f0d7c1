"""The build and its speed layer: :func:`build` (:mod:`~ici_site.build.entry`) runs the pipeline
(:mod:`~ici_site.pipeline`) through a speed layer (:mod:`~ici_site.build.speed`).

The names below are looked up in :mod:`~ici_site.build.entry` when first used, not when this
package is imported: the pipeline imports the package's modules of records (cache,
incremental, writer), and the entry imports the pipeline.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ici_site.build.entry import Report, build, build_date, city_folders, percent

__all__ = ["Report", "build", "build_date", "city_folders", "percent"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(importlib.import_module("ici_site.build.entry"), name)
    raise AttributeError(f"module 'ici_site.build' has no attribute '{name}'")
