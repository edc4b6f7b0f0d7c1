"""Translation: messages cut from content, gettext catalogues on Babel's seams (extract, the .po file
and its raw checks, update/init/compile/reuse), lookup with plurals, safety, progress."""
