"""The files of a new site: pages, ``conf.py`` and README in the site's default language,
and for each other language the translation of every text they hold.

The pages are the same in every language; only the words change. Each text goes through
:class:`Texts`, which returns it in the default language, written for where it goes
(Markdown, an option value, YAML, Python), and records what it becomes in each other
language: the translators' catalogues are filled from that record.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ...core.errors import CommandError
from . import Wording

#: GBIF.org pages of a country.
COUNTRY_SUMMARY = "https://www.gbif.org/country/{code}/summary"
COUNTRY_PARTICIPATION = "https://www.gbif.org/country/{code}/participation"
#: Placeholder images written by ``gbifnode init`` (see :mod:`.images`).
HERO_IMAGE = "_static/hero.png"
GBIF_LOGO = "_static/logos/placeholder-gbif.png"
NODE_LOGO = "_static/logos/placeholder-node.png"
#: Longest line of the written conf.py, where it can be kept.
LINE_WIDTH = 88


@dataclass
class Texts:
    """The site's words: the default language's, and what each text becomes in the
    other languages (``translations[language][text in the default language]``)."""

    source: Wording
    targets: list[Wording]
    translations: dict[str, dict[str, str]] = field(default_factory=dict)

    def _record(self, text: str, key: str, markdown: bool) -> str:
        for target in self.targets:
            wording = target.markdown(key) if markdown else target.plain(key)
            self.translations.setdefault(target.language, {}).setdefault(text, wording)
        return text

    def plain(self, key: str) -> str:
        """The text of *key* as plain text (an option value, a YAML or Python string)."""
        return self._record(self.source.plain(key), key, markdown=False)

    def markdown(self, key: str) -> str:
        """The text of *key* as Markdown, for a page."""
        return self._record(self.source.markdown(key), key, markdown=True)


def python_literal(value: Any, level: int = 0) -> str:
    """*value* (str, number, bool, None, list, dict) as Python source, one entry a line
    where it does not fit on one; a clear error for anything else."""
    if value is None or isinstance(value, str | int | float | bool):
        return repr(value)
    indent = "    " * (level + 1)
    if isinstance(value, dict):
        entries = [f"{indent}{python_literal(k)}: {python_literal(v, level + 1)},"
                   for k, v in value.items()]
        brackets = "{}"
    elif isinstance(value, list | tuple):
        entries = [f"{indent}{python_literal(item, level + 1)}," for item in value]
        brackets = "[]"
    else:
        raise CommandError(
            f"theme option value {value!r} is not text, a number, a list or a dict"
        )
    flat = repr(value) if not isinstance(value, tuple) else repr(list(value))
    if len(indent) + len(flat) <= LINE_WIDTH or not entries:
        return flat
    return brackets[0] + "\n" + "\n".join(entries) + "\n" + "    " * level + brackets[1]


def option(value: str) -> str:
    """A directive option value, quoted: MyST reads ``#`` as a comment and ``: `` as YAML."""
    return json.dumps(value, ensure_ascii=False)


def home_page(texts: Texts) -> str:
    code = texts.source.code
    data = f"{texts.plain('hero_button_data')} <{COUNTRY_SUMMARY.format(code=code)}>"
    community = f"{texts.plain('hero_button_community')} <community>"
    return f"""# {texts.markdown('site_name')}

:::{{hero}} {texts.markdown('hero_title')}
:image: {HERO_IMAGE}
:alt: {option(texts.plain('hero_alt'))}
:licence: {option(texts.markdown('hero_licence'))}
:height: 50vh
:overlay: "#00000066"
:cta-primary: {option(data)}
:cta: {option(community)}

{texts.markdown('hero_text')}
:::

```{{toctree}}
:hidden:

community
publishers
```
"""


def community_page(texts: Texts) -> str:
    code = texts.source.code
    return f"""# {texts.markdown('community_title')}

{texts.markdown('community_text')}

:::{{partner-grid}}
:captions:

- name: {option(texts.plain('gbif_name'))}
  logo: {GBIF_LOGO}
  url: https://www.gbif.org/
- name: {option(texts.plain('site_name'))}
  logo: {NODE_LOGO}
  url: {COUNTRY_PARTICIPATION.format(code=code)}
:::
"""


def publishers_page(texts: Texts) -> str:
    return f"""# {texts.markdown('publishers_title')}

{texts.markdown('publishers_text')}

:::{{gbif-publishers}}
:country: {texts.source.code}
:::
"""


def theme_options(texts: Texts) -> dict[str, Any]:
    """The ``gbifnode`` theme's navbar and footer, partner logos included."""
    code = texts.source.code
    summary = COUNTRY_SUMMARY.format(code=code)
    return {
        "navbar_links": [
            {"title": texts.plain("menu_community"), "url": "community"},
            {"title": texts.plain("menu_publishers"), "url": "publishers"},
            {"title": texts.plain("menu_gbif"), "url": summary},
        ],
        "footer_columns": [
            {"title": texts.plain("site_name"), "text": texts.plain("footer_about")},
            {
                "title": texts.plain("footer_links"),
                "links": [
                    {"title": texts.plain("footer_country_page"), "url": summary},
                    {"title": texts.plain("menu_gbif"), "url": "https://www.gbif.org/"},
                ],
            },
            {
                "title": texts.plain("footer_partners"),
                "partners": [
                    {"name": texts.plain("partner_gbif"), "logo": GBIF_LOGO,
                     "url": "https://www.gbif.org/"},
                    {"name": texts.plain("site_name"), "logo": NODE_LOGO,
                     "url": COUNTRY_PARTICIPATION.format(code=code)},
                ],
            },
        ],
    }


def conf_py(texts: Texts, languages: list[str], options: Mapping[str, Any]) -> str:
    # Every value is written with repr()/pformat, so any name (quotes, colons,
    # backslashes) gives a conf.py that runs.
    return f'''# Sphinx configuration of the site, made by `gbifnode init`.

project = {texts.plain('site_name')!r}
extensions = ["myst_parser", "sphinx_gbifnode"]
myst_enable_extensions = ["colon_fence"]

# The first language is the default one; `gbifnode build . _build/html` builds each
# language into _build/html/<language>/.
language = {languages[0]!r}
gbifnode_languages = {languages!r}
locale_dirs = ["locales"]
gettext_compact = False  # one .po file per page, easier for translators

# The address where the site is published (the folder holding the language folders):
# needed for absolute hreflang links and sitemap.xml. Set it before publishing, e.g.
# html_baseurl = "https://www.example.org/"

exclude_patterns = ["_build", "locales", "README.md"]
html_static_path = ["_static"]
html_title = project
html_theme = "gbifnode"
html_theme_options = {python_literal(dict(options))}
'''


def site_files(
    source: Wording, targets: list[Wording], languages: list[str],
    extra_options: Mapping[str, Any] | None = None,
) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """The text files of a new site by relative path, and the translations of their texts
    by language (``{language: {text in the default language: its translation}}``).

    *extra_options* replace starter entries of ``html_theme_options``."""
    texts = Texts(source, targets)
    options = theme_options(texts) | dict(extra_options or {})
    files = {
        "conf.py": conf_py(texts, languages, options),
        "index.md": home_page(texts),
        "community.md": community_page(texts),
        "publishers.md": publishers_page(texts),
        "README.md": source.markdown("readme"),
        ".gitignore": "_build/\nlocales/**/*.mo\n",
    }
    return files, texts.translations
