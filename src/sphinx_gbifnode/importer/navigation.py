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


class Navigation:
    """``_data/navigation.yml`` and ``_data/footer.yml`` -> theme options, and their
    translations (``_data/<lang>/navigation.yml``) -> ``locales/<lang>/.../sphinx.po``,
    the catalogue Sphinx uses for the theme's own words."""

    def __init__(self, site: Site, links: kramdown.LinkMap, report: Report) -> None:
        self.site = site
        self.links = links
        self.report = report
        self.navbar = self.menu(site.data.get("navigation"), "_data/navigation.yml")
        self.footer = self.columns(site.data.get("footer"), "_data/footer.yml")

    def label(self, value: Any, where: str) -> str:
        text = str(value or "").strip()
        if "<" in text:
            self.report.add("kept", self.site.root / where, None,
                            f"HTML in a menu label reduced to its text: {' '.join(text.split())}")
            text = " ".join(re.sub(r"<[^>]+>", " ", text).split())
        return text

    def url(self, value: Any) -> str:
        href = str(value or "").split(" ")[0].split('"')[0]
        if not self.site.groups:
            return href
        new, _note = self.links.link(href, "index", self.site.groups[0].root)
        if new is None:
            return href
        return new.removesuffix(".md") if "://" not in new else new

    def menu(self, items: Any, where: str) -> list[dict[str, Any]]:
        result = []
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict):
                continue
            entry: dict[str, Any] = {"title": self.label(item.get("text"), where),
                                     "url": self.url(item.get("href")) if item.get("href")
                                     else ""}
            children = self.menu(item.get("menu"), where)
            if children:
                entry["children"] = children
            result.append(entry)
        return result

    def columns(self, footer: Any, where: str) -> list[dict[str, Any]]:
        columns = footer.get("columns") if isinstance(footer, dict) else None
        result = []
        for column in columns if isinstance(columns, list) else []:
            if isinstance(column, dict):
                text = str(column.get("description") or "").strip()
                if "<" in text:
                    self.report.add("kept", self.site.root / where, None, "footer column "
                                    f"{column.get('name')!r} holds HTML: kept as-is")
                result.append({"title": str(column.get("name") or ""), "text": text})
        return result

    @staticmethod
    def labels(menu: list[dict[str, Any]]) -> list[str]:
        found = []
        for entry in menu:
            found.append(entry["title"])
            found += Navigation.labels(entry.get("children", []))
        return found

    def write_catalog(self, out: Path, language: str) -> None:
        data = self.site.data.get(language)
        data = data if isinstance(data, dict) else {}
        where = f"_data/{language}/navigation.yml"
        pairs: list[tuple[str, str]] = []
        if self.navbar:
            if "navigation" not in data:
                self.report.add("unaligned", self.site.root / where, None,
                                f"missing: the {language} menu stays in the root language")
            else:
                root = self.labels(self.navbar)
                twin = self.labels(self.menu(data["navigation"], where))
                if len(root) != len(twin):
                    self.report.add("unaligned", self.site.root / where, None,
                                    f"{len(twin)} menu labels for {len(root)} in "
                                    "_data/navigation.yml: paired in order as far as they go")
                pairs += list(zip(root, twin, strict=False))
        twin_footer = self.columns(data.get("footer"), f"_data/{language}/footer.yml")
        for root_column, twin_column in zip(self.footer, twin_footer, strict=False):
            pairs += [(root_column["title"], twin_column["title"]),
                      (root_column["text"], twin_column["text"])]
        if not pairs:
            return
        translations: dict[str, str] = {}
        for msgid, msgstr in pairs:
            if msgid:
                translations.setdefault(msgid, msgstr)
        target = out / "locales" / language / "LC_MESSAGES" / "sphinx.po"
        try:
            align.write_mapping(target, language, translations)
        except align.ExistingCatalogError as exc:
            self.report.add("error", "OUT/" + target.relative_to(out).as_posix(), None,
                            f"existing catalogue unreadable, left as it is: {exc}")
