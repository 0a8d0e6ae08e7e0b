project = "Test node"
extensions = ["myst_parser", "sphinx_gbifnode"]
myst_enable_extensions = ["colon_fence"]
locale_dirs = ["locales"]
gettext_compact = False
figure_language_filename = "{path}{basename}.{language}{ext}"
exclude_patterns = ["_build", "locales"]
