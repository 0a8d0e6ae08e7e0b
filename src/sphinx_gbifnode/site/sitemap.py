"""``OUT/sitemap.xml``: every page of every language, each with its hreflang alternates."""

from __future__ import annotations

import html

from ..core.locale import hreflang
from ..i18n.switcher import absolute_url


def sitemap(baseurl: str, pages: dict[str, list[str]], default_language: str) -> str:
    """``sitemap.xml``: every page of every language, each with its hreflang alternates."""
    by_target: dict[str, list[str]] = {}
    for language, targets in pages.items():
        for target in targets:
            by_target.setdefault(target, []).append(language)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        ' xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for target in sorted(by_target):
        languages = by_target[target]
        alternates = [
            f'    <xhtml:link rel="alternate" hreflang="{html.escape(hreflang(lang))}" '
            f'href="{html.escape(absolute_url(baseurl, lang, target))}"/>'
            for lang in languages
        ]
        if len(languages) > 1:
            fallback = default_language if default_language in languages else languages[0]
            alternates.append(
                '    <xhtml:link rel="alternate" hreflang="x-default" '
                f'href="{html.escape(absolute_url(baseurl, fallback, target))}"/>'
            )
        for language in languages:
            lines.append("  <url>")
            lines.append(f"    <loc>{html.escape(absolute_url(baseurl, language, target))}</loc>")
            if len(languages) > 1:
                lines.extend(alternates)
            lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"
