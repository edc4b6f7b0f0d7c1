"""The content extractor under the name a project's ``babel.cfg`` gives it from before the
sub-packages (``[ici_site.catalogs.extract_content: **.md]``): such a project keeps working.
New projects name :func:`ici_site.i18n.catalogs.extract_content`."""

from ici_site.i18n.catalogs import extract_content

__all__ = ["extract_content"]
