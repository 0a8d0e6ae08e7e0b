"""The site's menu and footer: ``_data/navigation.yml`` and ``_data/footer.yml`` become
theme options in ``conf.py``; their translations (``_data/<lang>/navigation.yml``) go
into ``locales/<lang>/LC_MESSAGES/sphinx.po``, the catalogue Sphinx reads theme words
from."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from . import align, kramdown
from .jekyll_site import Site
from .report import Report

_IMAGE = re.compile(r"(?:\[\s*)?!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)\)(?:\{[^}]*\})?\s*"
                    r"(?:\]\((?P<url>[^)\s]+)\))?")
_LINK = re.compile(r"\[(?P<text>[^\]]*)\]\((?P<url>[^)\s]+)\)(?:\{[^}]*\})?")
_TAG = re.compile(r"<[^>]+>")


class Navigation:
    """``_data/navigation.yml`` and ``_data/footer.yml`` -> the theme options
    ``navbar_links`` and ``footer_columns``, and their translations from
    ``_data/<lang>/`` for ``locales/<lang>/LC_MESSAGES/sphinx.po``."""

    def __init__(self, site: Site, links: kramdown.LinkMap, report: Report) -> None:
        self.site = site
        self.links = links
        self.report = report
        self.navbar = self.menu(site.data.get("navigation"), "_data/navigation.yml")
        self.footer = self.columns(site.data.get("footer"), "_data/footer.yml")

    def label(self, value: Any, where: str) -> str:
        """Menu and footer words are plain text in the theme: HTML is reduced to text."""
        text = str(value or "").strip()
        if _TAG.search(re.sub(r"<br\s*/?>", "", text, flags=re.IGNORECASE)):
            # (line breaks alone are not worth a report entry: they become spaces)
            self.report.add("kept", self.site.root / where, None, "HTML in a menu or footer "
                            f"reduced to its text: {' '.join(text.split())}")
        text = _TAG.sub(" ", re.sub(r"<br\s*/?>", " ", text, flags=re.IGNORECASE))
        return " ".join(text.replace("&nbsp;", " ").split())

    def url(self, value: Any) -> str | None:
        """A theme link: a page name for imported pages, else an http(s) URL (the theme
        refuses other schemes); ``None`` for a link that leads nowhere."""
        href = str(value or "").split(" ")[0].split('"')[0]
        if not href or not self.site.groups:
            return None
        new, _note = self.links.link(href, "index", self.site.groups[0].root)
        if new is None or not (new.startswith(("http://", "https://")) or "://" not in new):
            return None
        if new.startswith(("mailto:", "tel:")):
            return None
        return new.removesuffix(".md") if "://" not in new else new

    def menu(self, items: Any, where: str) -> list[dict[str, Any]]:
        result = []
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict):
                continue
            entry: dict[str, Any] = {"title": self.label(item.get("text"), where)}
            url = self.url(item.get("href"))
            if url:
                entry["url"] = url
            children = self.menu(item.get("menu"), where)
            if children:
                entry["children"] = children
            if not url and not children:
                self.report.add("unaligned" if where != "_data/navigation.yml" else "error",
                                self.site.root / where, None,
                                f"menu entry {entry['title']!r} leads nowhere ({item.get('href')}"
                                " is not an imported page and the site has no url): left out")
                continue
            result.append(entry)
        return result

    def columns(self, footer: Any, where: str) -> list[dict[str, Any]]:
        columns = footer.get("columns") if isinstance(footer, dict) else None
        return [self.column(column, where) for column in
                (columns if isinstance(columns, list) else []) if isinstance(column, dict)]

    def column(self, column: dict[str, Any], where: str) -> dict[str, Any]:
        """A footer column written in Markdown -> the theme's title, text, links and
        partners (its logos)."""
        text = str(column.get("description") or "")
        partners = []
        for match in _IMAGE.finditer(text):
            src = match["src"]
            if "://" not in src:
                if not (self.site.root / src.lstrip("/")).is_file():
                    self.report.missing_image("/" + src.lstrip("/"), self.site.root / where, None)
                src = src.lstrip("/")
            partner = {"name": match["alt"] or Path(src).stem, "logo": src}
            url = self.url(match["url"]) if match["url"] else None
            if url:
                partner["url"] = url
            partners.append(partner)
        text = _IMAGE.sub(" ", text)
        links = []

        def link(match: re.Match[str]) -> str:
            title = self.label(match["text"], where)
            url = self.url(match["url"])
            if url:
                links.append({"title": title, "url": url})
                return title
            # mailto: and the like are not theme links: the address stays readable
            address = match["url"].split(":", 1)[-1]
            return f"{title} ({address})" if title else address

        text = _LINK.sub(link, text)
        result: dict[str, Any] = {"title": self.label(column.get("name"), where)}
        plain = self.label(text.replace("**", "").replace("__", ""), where)
        if plain:
            result["text"] = plain
        if links:
            result["links"] = links
        if partners:
            result["partners"] = partners
        return result

    def colours(self) -> dict[str, str]:
        """``algae.style.colors`` -> the theme's ``primary_color`` and ``link_color``."""
        algae = self.site.config.get("algae")
        style = algae.get("style") if isinstance(algae, dict) else None
        colors = style.get("colors") if isinstance(style, dict) else None
        found = {}
        if isinstance(colors, dict):
            for key, option in (("primary", "primary_color"), ("links", "link_color")):
                if isinstance(colors.get(key), str) and colors[key].strip():
                    found[option] = colors[key].strip()
        return found

    @staticmethod
    def words(menu: list[dict[str, Any]], footer: list[dict[str, Any]]) -> list[str]:
        """Every translatable word of a menu and footer, in order."""
        found = []
        for entry in menu:
            found.append(entry["title"])
            found += Navigation.words(entry.get("children", []), [])
        for column in footer:
            found += [column["title"], column.get("text", "")]
            found += [item["title"] for item in column.get("links", [])]
            found += [item["name"] for item in column.get("partners", [])]
        return found

    def translations(self, language: str) -> dict[str, str]:
        """Menu and footer words -> their translation in *language*, paired in order
        (what cannot be paired is reported)."""
        data = self.site.data.get(language)
        data = data if isinstance(data, dict) else {}
        pairs: list[tuple[str, str]] = []
        for name, root_menu, root_footer in (("navigation", self.navbar, []),
                                             ("footer", [], self.footer)):
            if not (root_menu or root_footer):
                continue
            where = f"_data/{language}/{name}.yml"
            if name not in data:
                self.report.add("unaligned", self.site.root / where, None,
                                f"missing: the {language} {name} stays in the root language")
                continue
            root = self.words(root_menu, root_footer)
            twin = self.words(self.menu(data[name], where) if name == "navigation" else [],
                              self.columns(data[name], where) if name == "footer" else [])
            if len(root) != len(twin):
                self.report.add("unaligned", self.site.root / where, None,
                                f"{len(twin)} labels for {len(root)} in _data/{name}.yml: "
                                "paired in order as far as they go")
            pairs += list(zip(root, twin, strict=False))
        translations: dict[str, str] = {}
        for msgid, msgstr in pairs:
            if msgid and msgstr:
                translations.setdefault(msgid, msgstr)
        return translations

    def write_catalog(self, out: Path, language: str) -> None:
        """``sphinx.po`` from :meth:`translations`, for a theme that does not extract its
        options itself (the gbifnode theme does: then the gettext template is used)."""
        translations = self.translations(language)
        if not translations:
            return
        target = out / "locales" / language / "LC_MESSAGES" / "sphinx.po"
        try:
            align.write_mapping(target, language, translations)
        except align.ExistingCatalogError as exc:
            self.report.add("error", "OUT/" + target.relative_to(out).as_posix(), None,
                            f"existing catalogue unreadable, left as it is: {exc}")
