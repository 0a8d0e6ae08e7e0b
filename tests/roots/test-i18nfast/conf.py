# Translated messages of every kind, in MyST and reStructuredText: the pages must come out
# the same whether or not the i18n shortcuts are on (tests/test_same_pages.py).
project = "Translation shortcuts"
extensions = ["myst_parser", "sphinx_gbifnode"]
myst_enable_extensions = ["colon_fence", "deflist"]
language = "en"
gbifnode_languages = ["en", "fr"]
locale_dirs = ["locales"]
gettext_compact = False
gettext_additional_targets = ["literal-block", "image", "index", "doctest-block"]
html_baseurl = "https://shortcuts.example.org/"
rst_epilog = """
.. |node| replace:: GBIF Belgium
"""
exclude_patterns = ["_build", "locales"]
