"""Translation: messages cut from content, gettext catalogs on Babel's seams (extract, the .po file
and its raw checks, update/init/compile/reuse), lookup with plurals, safety, progress."""
