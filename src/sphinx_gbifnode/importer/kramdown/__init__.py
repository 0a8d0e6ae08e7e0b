"""Hosted-portal pages (kramdown, front matter, composition blocks) to MyST."""

from .converter import convert_page, guess_country, index_page, write_page
from .links import LinkMap
from .page import Converted

__all__ = ["Converted", "LinkMap", "convert_page", "guess_country", "index_page", "write_page"]
