# A plain sphinx-intl project: conf.py does not mention sphinx-gbifnode.
project = "i18n check"
extensions = ["myst_parser"]
language = "en"
locale_dirs = ["locales"]
gettext_compact = False
exclude_patterns = ["_build"]
