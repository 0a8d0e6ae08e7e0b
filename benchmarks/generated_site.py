"""A generated node site for the speed benchmarks, in MyST or reStructuredText, with its
complete French translation, and the same content as a Jekyll site.

Every page has a title, six paragraphs with inline markup (emphasis, a link), a list
with bold text, a closing note and a grid of two partner logos: the shape of a hosted
portal page. The French catalogues come from ``gbifnode i18n update`` and every msgstr
is the msgid with ``FR`` in front, so the markup of each message is kept, as a
translator keeps it.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

BIN = Path(sys.executable).parent
PARTNERS = (
    ("GBIF", "gbif.png", "https://www.gbif.org"),
    ("Catalogue of Life", "col.png", "https://www.catalogueoflife.org/"),
)

CONF = """\
project = "Benchmark node"
extensions = ["myst_parser", "sphinx_gbifnode"]
myst_enable_extensions = ["colon_fence"]
language = "en"
gbifnode_languages = ["en", "fr"]
locale_dirs = ["locales"]
gettext_compact = False
html_theme = {theme!r}
html_theme_options = {options!r}
html_baseurl = "https://bench.example.org/"
exclude_patterns = ["locales", "_build"]
"""

GBIFNODE_OPTIONS = {
    "navbar_links": [
        {"title": "Home", "url": "index"},
        {"title": "First page", "url": "page001"},
        {"title": "GBIF", "url": "https://www.gbif.org"},
    ],
    "footer_columns": [
        {"title": "Contact", "text": "Avenue Louise 231, Brussels",
         "links": [{"title": "Home", "url": "index"}]},
    ],
}


def png(width: int, height: int) -> bytes:
    """A small valid grey PNG (the partner grid reads the size of local logos)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def paragraphs(number: int, emphasis: str, link: str) -> list[str]:
    """The six paragraphs of a page; *emphasis* and *link* are format strings."""
    return [
        f"Paragraph {k} of page {number} tells how {emphasis.format(number * k)} records of "
        f"{link.format('occurrences', 'https://www.gbif.org/occurrence/search')} were "
        f"shared in year {2000 + k}."
        for k in range(1, 7)
    ]


def myst_page(number: int) -> str:
    grid = "".join(
        f"- name: {name}\n  logo: _static/logos/{logo}\n  url: {url}\n"
        for name, logo, url in PARTNERS
    )
    items = "\n".join(f"- Species {number}-{k}, seen **{k}** times" for k in range(1, 6))
    return (
        f"# Page {number}\n\n" + "\n\n".join(paragraphs(number, "*{}*", "[{}]({})"))
        + f"\n\n## Species\n\n{items}\n\n## Notes\n\nA closing note for page {number}.\n\n"
        f":::{{partner-grid}}\n:captions:\n\n{grid}:::\n"
    )


def rst_title(text: str, underline: str) -> str:
    return f"{text}\n{underline * len(text)}\n\n"


def rst_page(number: int) -> str:
    grid = "".join(
        f"   - name: {name}\n     logo: _static/logos/{logo}\n     url: {url}\n"
        for name, logo, url in PARTNERS
    )
    items = "\n".join(f"- Species {number}-{k}, seen **{k}** times" for k in range(1, 6))
    return (
        rst_title(f"Page {number}", "=")
        + "\n\n".join(paragraphs(number, "*{}*", "`{} <{}>`__"))
        + "\n\n" + rst_title("Species", "-") + items + "\n\n" + rst_title("Notes", "-")
        + f"A closing note for page {number}.\n\n"
        f".. partner-grid::\n   :captions:\n\n{grid}"
    )


def page_names(pages: int) -> list[str]:
    return [f"page{n:03d}" for n in range(1, pages)]


def write_sphinx_site(root: Path, pages: int, syntax: str = "md",
                      theme: str = "gbifnode", reuse: bool = False) -> Path:
    """Write *pages* pages (a home page and ``pages - 1`` others) into ``root/site`` with
    their French catalogues, and return the source folder. With *reuse*, a site this
    code already wrote there with the same arguments is kept as it is."""
    site = root / "site"
    stamp = root / "generated.txt"
    made_by = f"{pages} {syntax} {theme} {hashlib.sha256(Path(__file__).read_bytes()).hexdigest()}"
    if reuse and stamp.exists() and stamp.read_text(encoding="utf-8") == made_by:
        return site
    if root.exists():
        shutil.rmtree(root)
    (site / "_static" / "logos").mkdir(parents=True)
    for _name, logo, _url in PARTNERS:
        (site / "_static" / "logos" / logo).write_bytes(png(120, 60))
    options = GBIFNODE_OPTIONS if theme == "gbifnode" else {}
    (site / "conf.py").write_text(CONF.format(theme=theme, options=options), "utf-8")
    names = page_names(pages)
    if syntax == "md":
        home = ("# Benchmark node\n\nThe home page.\n\n```{toctree}\n:maxdepth: 1\n\n"
                + "\n".join(names) + "\n```\n")
        write_page = myst_page
    else:
        home = (rst_title("Benchmark node", "=") + "The home page.\n\n"
                ".. toctree::\n   :maxdepth: 1\n\n"
                + "".join(f"   {name}\n" for name in names))
        write_page = rst_page
    (site / f"index.{syntax}").write_text(home, "utf-8")
    for number, name in enumerate(names, start=1):
        (site / f"{name}.{syntax}").write_text(write_page(number), "utf-8")
    translate(site)
    stamp.write_text(made_by, encoding="utf-8")
    return site


def translate(site: Path) -> None:
    """French catalogues through ``gbifnode i18n update``; each msgstr is ``FR <msgid>``."""
    from babel.messages.pofile import read_po, write_po

    subprocess.run([str(BIN / "gbifnode"), "i18n", "update", str(site)], check=True,
                   stdout=subprocess.DEVNULL)
    for po_path in (site / "locales" / "fr" / "LC_MESSAGES").glob("*.po"):
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if message.id:
                message.string = f"FR {message.id}"
        buffer = io.BytesIO()
        write_po(buffer, catalog)
        po_path.write_bytes(buffer.getvalue())


JEKYLL_LAYOUT = """\
<!DOCTYPE html>
<html lang="{{ page.lang }}">
<head>
<meta charset="utf-8">
<title>{{ page.title }} - {{ site.title }}</title>
{% for lang in site.languages %}<link rel="alternate" hreflang="{{ lang }}" \
href="{{ site.url }}/{{ lang }}/{{ page.ref }}.html">
{% endfor %}</head>
<body>
<nav>{% for item in site.data.navigation %}<a href="{{ item.url | relative_url }}">\
{{ item.title }}</a> {% endfor %}</nav>
<main>
{{ content }}
</main>
<footer>Avenue Louise 231, Brussels</footer>
</body>
</html>
"""


def jekyll_page(number: int, prefix: str) -> str:
    """A Jekyll page with the content of :func:`myst_page` (kramdown, a logo table)."""
    say = (lambda text: f"{prefix}{text}") if prefix else (lambda text: text)
    body = "\n\n".join(say(p) for p in paragraphs(number, "*{}*", "[{}]({})"))
    items = "\n".join(f"- {say(f'Species {number}-{k}, seen **{k}** times')}"
                      for k in range(1, 6))
    logos = " | ".join(
        f"[![{say(name)}](/assets/logos/{logo})]({url})" for name, logo, url in PARTNERS
    )
    return (
        f"---\nlayout: default\ntitle: {say(f'Page {number}')}\nref: page{number:03d}\n"
        f"---\n\n# {say(f'Page {number}')}\n\n{body}\n\n## {say('Species')}\n\n{items}\n\n"
        f"## {say('Notes')}\n\n{say(f'A closing note for page {number}.')}\n\n"
        f"| {logos} |\n"
    )


def write_jekyll_site(root: Path, pages: int) -> Path:
    """The same content as a two-language Jekyll site (``en/`` and ``fr/``)."""
    if root.exists():
        shutil.rmtree(root)
    site = root / "jekyll"
    (site / "_layouts").mkdir(parents=True)
    (site / "_data").mkdir()
    (site / "assets" / "logos").mkdir(parents=True)
    for _name, logo, _url in PARTNERS:
        (site / "assets" / "logos" / logo).write_bytes(png(120, 60))
    (site / "_config.yml").write_text(
        "title: Benchmark node\nurl: https://bench.example.org\nmarkdown: kramdown\n"
        "languages: [en, fr]\n", "utf-8")
    (site / "_data" / "navigation.yml").write_text(
        "- title: Home\n  url: /en/index.html\n- title: First page\n  url: /en/page001.html\n",
        "utf-8")
    (site / "_layouts" / "default.html").write_text(JEKYLL_LAYOUT, "utf-8")
    names = page_names(pages)
    for language, prefix in (("en", ""), ("fr", "FR ")):
        folder = site / language
        folder.mkdir()
        links = "\n".join(f"- [{prefix}Page {n}]({name}.html)"
                          for n, name in enumerate(names, start=1))
        (folder / "index.md").write_text(
            f"---\nlayout: default\ntitle: Benchmark node\nref: index\nlang: {language}\n---\n\n"
            f"# Benchmark node\n\n{prefix}The home page.\n\n{links}\n", "utf-8")
        for number, name in enumerate(names, start=1):
            (folder / f"{name}.md").write_text(
                jekyll_page(number, prefix).replace("---\n\n", f"lang: {language}\n---\n\n", 1),
                "utf-8")
    return site
