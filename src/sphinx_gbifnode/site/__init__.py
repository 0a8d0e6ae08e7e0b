"""The multilingual site: ``gbifnode build`` (every language, the language chooser and
the sitemap) and ``gbifnode init``."""
