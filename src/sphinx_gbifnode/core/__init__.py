"""Leaf helpers that import nothing else from sphinx-gbifnode: URL safety, option
converters, node helpers, languages, files, warnings, the sanitiser, PNG, errors."""
