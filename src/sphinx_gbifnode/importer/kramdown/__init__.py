"""Hosted-portal pages (kramdown, front matter, composition blocks) to MyST."""

from .converter import Converted, LinkMap, convert_page, guess_country, index_page, write_page

__all__ = ["Converted", "LinkMap", "convert_page", "guess_country", "index_page", "write_page"]
