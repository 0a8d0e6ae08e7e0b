"""sphinx-gbifnode documentation, which is also the demo node site (English + French)."""

project = "sphinx-gbifnode"
author = "sphinx-gbifnode developers"
copyright = "2026, sphinx-gbifnode developers"

extensions = ["myst_parser", "sphinx_gbifnode"]
myst_enable_extensions = ["colon_fence", "deflist"]

language = "en"
gbifnode_languages = ["en", "fr"]
locale_dirs = ["../locales"]
gettext_compact = False
figure_language_filename = "{path}{basename}.{language}{ext}"

exclude_patterns = ["_build"]
html_static_path = ["_static"]
html_title = "sphinx-gbifnode"
# Builds must work offline: the demo uses the committed GBIF snapshots only.
gbifnode_offline = True
