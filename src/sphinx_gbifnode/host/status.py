"""``gbifnode host status HOSTDIR``: one line per hosted site.

Site, languages, pages, how much of each translated language is translated, when the
site was last built by ``gbifnode host build`` and with how many warnings, and the age
of its oldest GBIF snapshot (the data its pages show). Read from the files: nothing is
built or fetched.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import datetime
from pathlib import Path

from ..core.errors import CommandError
from ..i18n.project import load_project
from ..i18n.stat import StatCounts, catalog_counts
from .build_sites import STATUS_FILE
from .hosting_file import HostedSite, Hosting, read_hosting

PAGE_SUFFIXES = (".md", ".rst")
SKIPPED_FOLDERS = {"_build", "_static", "_data", "_templates", "locales"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("hostdir", metavar="HOSTDIR", help="the hosting folder")


def count_pages(folder: Path) -> int:
    """Source pages of a site (Markdown and reStructuredText, not its build or data)."""
    return sum(
        1 for path in folder.rglob("*")
        if path.suffix in PAGE_SUFFIXES and path.name != "README.md"
        and not SKIPPED_FOLDERS.intersection(path.relative_to(folder).parts[:-1])
    )


def snapshot_age(folder: Path) -> str:
    """Age of the oldest GBIF snapshot in ``_data/gbif`` ("-" when there is none)."""
    oldest = None
    for path in (folder / "_data" / "gbif").glob("*.json"):
        try:
            fetched = datetime.fromisoformat(json.loads(path.read_bytes())["fetched"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
        oldest = fetched.timestamp() if oldest is None else min(oldest, fetched.timestamp())
    if oldest is None:
        return "-"
    days = (time.time() - oldest) / 86400
    return f"{days:.0f} d" if days >= 1 else f"{days * 24:.0f} h"


def site_row(hosting: Hosting, site: HostedSite, built: dict[str, object]) -> list[str]:
    folder = site.folder(hosting.hostdir)
    if not (folder / "conf.py").is_file():
        return [site.name, ",".join(site.languages), "-", "no conf.py", "-", "-", "-"]
    try:
        project = load_project(folder)
    except CommandError as exc:
        return [site.name, ",".join(site.languages), "-", f"conf.py: {exc}"[:40], "-", "-",
                "-"]
    translated = []
    for language in project.translated_languages:
        counts = StatCounts()
        for po_path in project.catalog_files(language):
            try:
                counts.add(catalog_counts(po_path))
            except Exception:  # a broken catalogue is `i18n check`'s to explain
                continue
        translated.append(f"{language} {counts.percent:.0f}%")
    last = built.get(site.name)
    if isinstance(last, dict):
        when = str(last.get("built", "-")).replace("T", " ")[:16]
        result = ("ok" if last.get("ok") else "FAILED")
        warnings = str(last.get("warnings", 0))
    else:
        when, result, warnings = "never", "", "-"
    return [
        site.name, ",".join(project.languages), str(count_pages(folder)),
        " ".join(translated) or "-", f"{when} {result}".strip(), warnings,
        snapshot_age(folder),
    ]


def status_table(hosting: Hosting) -> str:
    try:
        built = json.loads((hosting.hostdir / STATUS_FILE).read_text(encoding="utf-8"))
        sites = built.get("sites", {}) if isinstance(built, dict) else {}
    except (OSError, ValueError):
        sites = {}
    header = ["site", "languages", "pages", "translated", "last build", "warnings",
              "GBIF data age"]
    rows = [header] + [site_row(hosting, site, sites) for site in hosting.sites]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ) + "\n"


def run(args: argparse.Namespace) -> int:
    hosting = read_hosting(args.hostdir)
    if not hosting.sites:
        print(f"{hosting.path} lists no site yet (gbifnode host add)")
        return 0
    print(status_table(hosting), end="")
    return 0
