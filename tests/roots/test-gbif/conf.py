"""A node site page listing Belgian publishers (tests point gbifnode_api_url at a local server)."""

project = "GBIF data test"
extensions = ["myst_parser", "sphinx_gbifnode"]
myst_enable_extensions = ["colon_fence"]
language = "en"
locale_dirs = ["locales"]
gettext_compact = False
exclude_patterns = ["_build"]
# Never the real API: tests pass the local server's URL; without it, connections fail at once.
gbifnode_api_url = "http://127.0.0.1:9/v1"
# Fault tests must finish in well under a second each.
gbifnode_timeout = 0.5
gbifnode_retries = 2
gbifnode_backoff = 0.01
gbifnode_language_folders = True  # tests build with sphinx.testing into <builddir>/html
