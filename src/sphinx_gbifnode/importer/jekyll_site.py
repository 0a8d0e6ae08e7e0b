"""Read a hosted-portal Jekyll site: ``_config.yml``, ``_data/``, pages and their
translations (pages of other languages that share a ``lang-ref``).

Nothing here raises on bad input: a page with malformed front matter, a ``lang-ref``
used twice in one language, a page without a twin or an unreadable ``_data`` file
becomes a report entry, and the rest of the site is read.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import liquid
from .report import Report

PAGE_SUFFIXES = (".md", ".markdown")
_LANGUAGE_DIR = re.compile(r"^[a-z]{2,3}(?:[_-][A-Za-z]{2,4})?$")
#: Folders Jekyll never renders as pages, or that hold no pages of the site.
_SKIP_DIRS = {"node_modules", "vendor", "assets", "_site", "_includes", "_layouts", "_sass"}
_SKIP_FILES = {"readme.md", "license.md", "changelog.md", "contributing.md"}


@dataclass
class Page:
    """One Jekyll page (or post) in one language."""

    path: Path
    rel: str
    language: str
    front: dict[str, Any]
    body: str
    body_line: int
    front_line: int = 2

    @property
    def lang_ref(self) -> str | None:
        value = self.front.get("lang-ref")
        return str(value) if value not in (None, "") else None

    #: The address Jekyll gives a post (from the ``permalink`` pattern of the defaults).
    post_url: str | None = None

    @property
    def permalink(self) -> str | None:
        value = self.front.get("permalink")
        if isinstance(value, str) and ":" not in value:
            return value
        return self.post_url


@dataclass
class PageGroup:
    """A page in the root language and its twins in the other languages."""

    root: Page
    docname: str
    twins: dict[str, Page] = field(default_factory=dict)


@dataclass
class Site:
    """Everything the importer needs from the site."""

    root: Path
    config: dict[str, Any]
    root_language: str
    languages: list[str]
    data: dict[str, Any]
    groups: list[PageGroup]
    #: Pages that could not be converted (kept as-is in ``OUT/_jekyll``).
    leftovers: list[Path]
    #: Pages Jekyll does not publish, and why (empty with ``include_unpublished``).
    unpublished: dict[Path, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """The public address of the site (``url`` + ``baseurl``), or ``""``."""
        url = str(self.config.get("url") or "").rstrip("/")
        base = str(self.config.get("baseurl") or "").strip("/")
        return f"{url}/{base}" if url and base else url

    def context(self) -> dict[str, Any]:
        """The Liquid ``site`` object: the config plus ``site.data``."""
        return {"site": {**self.config, "data": self.data}}

    def data_value(self, dotted: str) -> Any:
        """``examples.stats`` -> the ``stats`` key of ``_data/examples.yml``."""
        return liquid.lookup({"data": self.data}, f"data.{dotted}")


def _read_yaml(path: Path, report: Report) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        report.add("error", path, line, f"malformed YAML, file skipped: {exc.problem}")
    except (yaml.YAMLError, OSError, UnicodeDecodeError) as exc:
        report.add("error", path, None, f"unreadable, file skipped: {exc}")
    return None


def read_data(site_root: Path, report: Report) -> dict[str, Any]:
    """All of ``_data/`` as one tree: ``_data/fr/home.yml`` is ``data["fr"]["home"]``."""
    tree: dict[str, Any] = {}
    data_dir = site_root / "_data"
    if not data_dir.is_dir():
        report.add("error", data_dir, None, "no _data folder: navigation and images not imported")
        return tree
    for path in sorted(data_dir.rglob("*")):
        if path.suffix.lower() not in (".yml", ".yaml", ".json") or not path.is_file():
            continue
        value = _read_yaml(path, report)
        if value is None:
            continue
        node = tree
        for part in path.relative_to(data_dir).with_suffix("").parts[:-1]:
            node = node.setdefault(part, {})
        node[path.stem] = value
    return tree


def read_text(path: Path, report: Report) -> str:
    """The text of a page: UTF-8 as Jekyll expects, else (a page saved in another
    encoding) Windows-1252 / ISO-8859-1, reported with the first line that is not UTF-8."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        try:
            text, encoding = data.decode("cp1252"), "Windows-1252"
        except UnicodeDecodeError:
            text, encoding = data.decode("latin-1"), "ISO-8859-1"
        report.add("error", path, line, f"not UTF-8 (first at this line): read as "
                   f"{encoding}; save the page as UTF-8")
        return text


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, line of the body's first line), or ``None`` without one."""
    if not text.startswith("---"):
        return None
    lines = text.splitlines(keepends=True)
    if lines[0].strip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "".join(lines[1:index]), "".join(lines[index + 1:]), index + 2
    return None


def _defaults(config: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for item in config.get("defaults") or []:
        if not isinstance(item, dict):
            continue
        scope = item.get("scope") or {}
        values = item.get("values") or {}
        if isinstance(scope, dict) and isinstance(values, dict):
            found.append((str(scope.get("path") or "").strip("/"), values))
    return found


def _default_language(rel: str, defaults: list[tuple[str, dict[str, Any]]]) -> str | None:
    # Jekyll applies every matching scope, the most specific path last.
    best: tuple[int, str] | None = None
    for scope, values in defaults:
        if "lang" not in values:
            continue
        if scope == "" or rel == scope or rel.startswith(scope + "/"):
            if best is None or len(scope) >= best[0]:
                best = (len(scope), str(values["lang"]))
    return best[1] if best else None


def _root_language(config: dict[str, Any], data: dict[str, Any]) -> str:
    algae: dict[str, Any] = config["algae"] if isinstance(config.get("algae"), dict) else {}
    for value in (algae.get("rootLang"), config.get("rootLang"), config.get("lang")):
        if value:
            return str(value)
    for scope, values in _defaults(config):
        if scope == "" and values.get("lang"):
            return str(values["lang"])
    languages = data.get("languages")
    if isinstance(languages, dict) and languages:
        return str(next(iter(languages)))
    return "en"


def _page_files(site_root: Path, config: dict[str, Any], skip: Path | None
                ) -> tuple[list[Path], list[tuple[Path, str]]]:
    """(pages Jekyll publishes, [(page, why Jekyll does not publish it)])."""
    exclude = config.get("exclude")
    excluded = [str(item).strip("/") for item in exclude if item] if isinstance(
        exclude, list) else []
    files: list[Path] = []
    unpublished: list[tuple[Path, str]] = []
    for path in sorted(site_root.rglob("*")):
        if path.suffix.lower() not in PAGE_SUFFIXES or not path.is_file():
            continue
        if skip is not None and path.resolve().is_relative_to(skip):
            continue  # the Sphinx project being written, when it is inside the site
        parts = path.relative_to(site_root).parts
        if any(p in _SKIP_DIRS or (p.startswith(("_", ".")) and p not in ("_posts", "_drafts"))
               for p in parts[:-1]):
            continue
        rel = "/".join(parts)
        if path.name.lower() in _SKIP_FILES:
            continue
        rule = next((item for item in excluded if rel == item or rel.startswith(item + "/")
                     or fnmatch.fnmatch(rel, item) or fnmatch.fnmatch(path.name, item)), None)
        if rule is not None:
            unpublished.append((path, f"excluded by _config.yml (exclude: {rule})"))
        elif parts[0] == "_drafts":
            unpublished.append((path, "a draft (_drafts/)"))
        else:
            files.append(path)
    return files, unpublished


def _read_page(
    path: Path, site: Path, config: dict[str, Any], root_language: str,
    language_dirs: set[str], report: Report,
) -> Page | None:
    rel = path.relative_to(site).as_posix()
    try:
        text = read_text(path, report)
    except OSError as exc:
        report.add("error", path, None, f"unreadable page, kept as-is: {exc}")
        return None
    parts = split_front_matter(text)
    if parts is None:
        report.add(
            "converted", path, None,
            "no front matter: Jekyll copies this file as it is, so it was not imported",
        )
        return None
    front_text, body, body_line = parts
    try:
        front = yaml.safe_load(front_text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        report.add("error", path, line, f"malformed front matter ({problem}); page kept as-is "
                   "in _jekyll/ and not converted")
        return None
    if not isinstance(front, dict):
        report.add("error", path, 1, "front matter is not a mapping of keys to values; page "
                   "kept as-is in _jekyll/ and not converted")
        return None
    language = front.get("lang") or _default_language(rel, _defaults(config))
    if not language:
        first = rel.split("/")[1] if rel.startswith(("_posts/", "_drafts/")) and rel.count(
            "/") > 1 else (
            rel.split("/")[0] if "/" in rel else "")
        language = first if first in language_dirs else root_language
    page = Page(path, rel, str(language), front, body, body_line)
    if rel.startswith("_posts/"):
        page.post_url = _post_url(page, config)
    return page


_POST_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$")
#: The layout of the posts index page the importer adds (one per language).
POSTS_INDEX_LAYOUT = "gbifnode-posts-index"


def post_date(page: Page) -> dt.date | None:
    """The date of a post: its front-matter ``date``, else the one in its file name."""
    value = page.front.get("date")
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    match = _POST_NAME.match(page.path.stem)
    if match:
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None
    return None


def _posts_indexes(pages: list[Page], site_root: Path, root_language: str,
                   languages: list[str]) -> list[Page]:
    """A posts index page per language, when the site has posts in its root language."""
    if not any(p.rel.startswith(("_posts/", "_drafts/")) and p.language == root_language
               for p in pages):
        return []
    indexes = []
    for language in languages:
        prefix = "" if language == root_language else f"/{language}"
        front = {"layout": POSTS_INDEX_LAYOUT, "lang-ref": POSTS_INDEX_LAYOUT,
                 "permalink": f"{prefix}/posts/"}
        indexes.append(Page(site_root / "_posts", "_posts", language, front, "", 1, 1))
    return indexes


def _post_url(page: Page, config: dict[str, Any]) -> str | None:
    """``/post/:year/:slug/`` for ``_posts/2024-08-06-launch.md`` -> ``/post/2024/launch/``:
    where Jekyll published the post, so links to it still find it."""
    pattern = page.front.get("permalink")
    if not isinstance(pattern, str):
        pattern = None
        for scope, values in _defaults(config):
            if (scope == "" or page.rel.startswith(scope + "/")) and values.get("permalink"):
                pattern = str(values["permalink"])  # the most specific scope comes last
    match = _POST_NAME.match(page.path.stem)
    if not pattern or not match:
        return None
    year, month, day, slug = match.groups()
    url = (pattern.replace(":year", year).replace(":month", month).replace(":day", day)
           .replace(":slug", slug).replace(":title", slug))
    return None if ":" in url else url


def _docname(page: Page, language_dirs: set[str]) -> str:
    permalink = page.permalink
    if permalink is not None:
        name = permalink.strip("/")
        name = re.sub(r"\.html?$", "", name)
    else:
        parts = page.rel.rsplit(".", 1)[0].split("/")
        if parts[0] in language_dirs or parts[0] == "pages":
            parts = parts[1:]
        if parts and parts[0] in ("_posts", "_drafts"):
            parts = ["posts", *[p for p in parts[1:] if p not in language_dirs]]
        name = "/".join(parts)
    if name in ("", "home", "index"):
        return "index"
    name = re.sub(r"[^\w/.-]+", "-", name).strip("-/")
    return name or "index"


def read_site(site_root: Path, report: Report, skip: Path | None = None,
              include_unpublished: bool = False) -> Site:
    """Read the site at *site_root*; problems go to *report*. Pages under *skip* (the
    output folder, when it is inside the site) are not read. Pages Jekyll does not
    publish (``exclude:``, drafts, ``published: false``) are reported, not read, unless
    *include_unpublished*."""
    config_path = site_root / "_config.yml"
    config: dict[str, Any] = {}
    if config_path.is_file():
        loaded = _read_yaml(config_path, report)
        config = loaded if isinstance(loaded, dict) else {}
    else:
        report.add("converted", config_path, None,
                   "no _config.yml: languages taken from the folders")
    data = read_data(site_root, report)
    root_language = _root_language(config, data)
    files, unpublished = _page_files(site_root, config, skip.resolve() if skip else None)
    if include_unpublished:
        files = sorted(files + [path for path, _why in unpublished])
        unpublished = []
    every = [*files, *(path for path, _why in unpublished)]
    language_dirs = {
        p.relative_to(site_root).parts[0] for p in every
        if len(p.relative_to(site_root).parts) > 1
        and _LANGUAGE_DIR.match(p.relative_to(site_root).parts[0])
    } | {
        p.relative_to(site_root).parts[1] for p in every
        if len(p.relative_to(site_root).parts) > 2
        and p.relative_to(site_root).parts[0] in ("_posts", "_drafts")
        and _LANGUAGE_DIR.match(p.relative_to(site_root).parts[1])
    }
    leftovers: list[Path] = []
    pages: list[Page] = []
    for path in files:
        page = _read_page(path, site_root, config, root_language, language_dirs, report)
        if page is None:
            if split_front_matter(path.read_text(encoding="utf-8", errors="replace")):
                leftovers.append(path)
            continue
        if page.front.get("published") is False and not include_unpublished:
            unpublished.append((path, "published: false"))
            continue
        pages.append(page)

    languages = [root_language, *sorted({p.language for p in pages} - {root_language})]
    pages += _posts_indexes(pages, site_root, root_language, languages)
    hidden = _report_unpublished(unpublished, site_root, config, root_language,
                                 language_dirs, report)
    configured = {str(values["lang"]) for _scope, values in _defaults(config)
                  if values.get("lang")}
    for language in sorted((configured | set(hidden)) - set(languages)):
        if language in hidden:
            report.add("excluded", config_path, None, f"language {language}: Jekyll publishes "
                       f"none of its pages ({', '.join(sorted(hidden[language]))}): not a "
                       "language of the new site (--include-unpublished imports them)")
        else:
            report.add("converted", config_path, None, f"language {language} is configured "
                       "but has no pages: not a language of the new site")
    groups = _pair(pages, root_language, language_dirs, report, leftovers)
    return Site(site_root, config, root_language, languages, data, groups, leftovers,
                dict(unpublished))


#: A permalink the redirect pages can keep (the check of ``gbifnode_redirects``).
_REDIRECTABLE = re.compile(r"^[\w.~%-]+(?:/[\w.~%-]+)*/?$|^$")


def redirects(site: Site, report: Report) -> dict[str, str]:
    """``{old address: document}`` for every page that had a permalink (the build
    writes a redirect page where the address of the page changed)."""
    found: dict[str, str] = {}
    for group in site.groups:
        for page in [group.root, *group.twins.values()]:
            if page.permalink is None or page.front.get("layout") == POSTS_INDEX_LAYOUT:
                continue
            address = page.permalink.lstrip("/")
            if not _REDIRECTABLE.match(address) or ".." in address.split("/"):
                report.add("converted", page.path, None, f"permalink {page.permalink} has "
                           "characters a redirect page cannot use: no redirect from it")
                continue
            found.setdefault(address, group.docname)
    return found


def _report_unpublished(
    unpublished: list[tuple[Path, str]], site_root: Path, config: dict[str, Any],
    root_language: str, language_dirs: set[str], report: Report,
) -> dict[str, set[str]]:
    """Report each page Jekyll does not publish; {language: {why}} of those pages."""
    hidden: dict[str, set[str]] = {}
    quiet = Report(site_root)  # their own problems do not matter: they are not imported
    for path, why in sorted(unpublished):
        page = _read_page(path, site_root, config, root_language, language_dirs, quiet)
        line = None
        if why == "published: false":
            text = path.read_text(encoding="utf-8", errors="replace").splitlines()
            line = next((n for n, t in enumerate(text, 1) if t.startswith("published")), 1)
        if page is not None:
            hidden.setdefault(page.language, set()).add(why.split(" (")[0])
        report.add("excluded", path, line, f"{why}: Jekyll does not publish it, so it is not "
                   "imported (--include-unpublished imports it)")
    return hidden


def _pair(
    pages: list[Page], root_language: str, language_dirs: set[str], report: Report,
    leftovers: list[Path],
) -> list[PageGroup]:
    groups: list[PageGroup] = []
    by_ref: dict[str, PageGroup] = {}
    by_permalink: dict[str, PageGroup] = {}
    used: set[str] = set()
    for page in (p for p in pages if p.language == root_language):
        docname = _docname(page, language_dirs)
        if docname in used:
            base, number = docname, 2
            while f"{base}-{number}" in used:
                number += 1
            docname = f"{base}-{number}"
            report.add("converted", page.path, None,
                       f"another page already has this address; written as {docname}.md")
        used.add(docname)
        group = PageGroup(page, docname)
        groups.append(group)
        ref = page.lang_ref
        if ref is not None:
            if ref in by_ref:
                report.add("error", page.path, 1, f"lang-ref {ref!r} is also used by "
                           f"{by_ref[ref].root.rel}: translations go to that page only")
            else:
                by_ref[ref] = group
        if page.permalink:
            by_permalink[page.permalink.strip("/")] = group

    for page in (p for p in pages if p.language != root_language):
        twin_of: PageGroup | None = None
        ref = page.lang_ref
        if ref is not None:
            twin_of = by_ref.get(ref)
        if twin_of is None and page.permalink:
            # A twin without (a matching) lang-ref, like the hosted-portal publisher
            # pages: /fr/x is the translation of /x.
            link = page.permalink.strip("/")
            prefix = page.language + "/"
            if link == page.language or link.startswith(prefix):
                twin_of = by_permalink.get(link.removeprefix(page.language).strip("/"))
            if twin_of is not None:
                why = "no lang-ref" if ref is None else f"no page has lang-ref {ref!r}"
                report.add("converted", page.path, 1, f"{why}: paired with "
                           f"{twin_of.root.rel} by its permalink")
        if twin_of is None:
            why = (f"with lang-ref {ref!r}" if ref else
                   "with its permalink, and it has no lang-ref")
            report.add("error", page.path, 1, f"no page in the root language "
                       f"({root_language}) {why}: kept as-is in _jekyll/, not converted")
            leftovers.append(page.path)
            continue
        if page.language in twin_of.twins:
            report.add("error", page.path, 1, f"lang-ref {ref!r} is shared with "
                       f"{twin_of.twins[page.language].rel} in language {page.language}: that "
                       "page is used, this one kept as-is in _jekyll/")
            leftovers.append(page.path)
            continue
        twin_of.twins[page.language] = page

    languages = sorted({p.language for p in pages} - {root_language})
    for group in groups:
        for language in languages:
            if language not in group.twins:
                report.add("unaligned", group.root.path, None,
                           f"no {language} twin: the {language} site shows this page in "
                           f"{root_language}")
    return groups
