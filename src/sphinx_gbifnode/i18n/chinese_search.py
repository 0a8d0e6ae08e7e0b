"""Search that works on a Chinese site.

Sphinx splits Chinese text into words with ``jieba``; without it, nothing Chinese is
indexed and every search finds nothing, silently. A Chinese build without jieba
therefore warns once and names the extra that installs it.

Sphinx 9.0 (the last release for Python 3.11) and 9.1.0 write
``window.Stemmer = ChineseStemmer;`` into the search page's ``language_data.js``, while
the stemmer file they ship defines ``EnglishStemmer``: the search page stops at
"Searching" with a script error. Later releases derive the class name from the file name;
on the releases with the bug, the extension registers the same Chinese search language
with the name that matches the file, as the upstream fix does.
"""

from __future__ import annotations

import importlib
import logging
import re
from types import SimpleNamespace
from typing import TYPE_CHECKING

from ..core.logs import warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: What a Chinese site installs for its search to index Chinese words.
EXTRA = "sphinx-gbifnode[zh]"


def is_chinese(language: str | None) -> bool:
    """True for ``zh``, ``zh_CN``, ``zh-TW``, ``zh_Hant``..."""
    return bool(language) and re.match(r"^zh(?:[_-]|$)", str(language), re.I) is not None


def has_jieba() -> bool:
    """True when the word splitter Sphinx uses for Chinese can be imported."""
    try:
        importlib.import_module("jieba")
    except ImportError:
        return False
    return True


def stemmer_class_name(rawcode: str) -> str:
    """The class a Snowball stemmer file defines: ``english-stemmer.js`` ->
    ``EnglishStemmer`` (the rule of the upstream fix)."""
    stem = rawcode.removesuffix(".js").removesuffix("-stemmer")
    return "".join(part.capitalize() for part in stem.split("-")) + "Stemmer"


def stemmer_assignment_is_broken() -> bool:
    """True when the installed Sphinx names a stemmer class for Chinese that its own
    stemmer file does not define (the Sphinx 9.0/9.1.0 bug)."""
    from sphinx.search import IndexBuilder
    from sphinx.search.zh import SearchChinese

    rawcode = getattr(SearchChinese, "js_stemmer_rawcode", "")
    if not rawcode:
        return False
    probe = SimpleNamespace(lang=SimpleNamespace(
        js_stemmer_rawcode=rawcode,
        js_stemmer_code=getattr(SearchChinese, "js_stemmer_code", ""),
        language_name=SearchChinese.language_name,
    ))
    try:
        code = IndexBuilder.get_js_stemmer_code(probe)  # type: ignore[arg-type]
    except (OSError, AttributeError, TypeError):
        return False
    expected = stemmer_class_name(rawcode)
    named = re.findall(r"Stemmer\s*=\s*(\w+)\s*;", code)
    return bool(named) and named[-1] != expected


def _fixed_chinese_search() -> type:
    from sphinx.search.zh import SearchChinese

    class SearchChineseStemmerFixed(SearchChinese):
        """Sphinx's Chinese search, named so the generated script assigns the stemmer
        class its stemmer file defines."""

        language_name = stemmer_class_name(SearchChinese.js_stemmer_rawcode).removesuffix(
            "Stemmer"
        )

    return SearchChineseStemmerFixed


def _check_search(app: Sphinx) -> None:
    if app.builder.format != "html" or not is_chinese(app.config.language):
        return
    found = has_jieba()
    # jieba reports loading its dictionary on stderr at every build (its import sets its
    # logger to DEBUG); only its problems are worth a maintainer's attention.
    logging.getLogger("jieba").setLevel(logging.WARNING)
    if not found:
        warn(
            "Chinese words are not indexed for search: the word splitter jieba is not "
            "installed. Install it with: pip install \"%s\"",
            EXTRA,
            subtype="search",
        )
    if stemmer_assignment_is_broken():
        app.add_search_language(_fixed_chinese_search())


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", _check_search)
