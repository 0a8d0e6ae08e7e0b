"""``gbifnode host add HOSTDIR NAME --country CC --languages fr,ln``: a country's site.

The site is made by ``gbifnode init`` (pages in the site's own language, catalogues for
its other languages), then handed to the template: the settings the template gives are
taken out of the site's ``conf.py`` (they would hide the template's) and the site names
its template. The site keeps its own menu and pages: they are in its language.
"""

from __future__ import annotations

import argparse
import ast
import pprint
import shutil
from pathlib import Path
from typing import Any

from ..core.errors import CommandError
from ..host_template import CONFIG_NAME, NOT_SHARED, read_template
from ..i18n.project import load_project
from ..site.scaffold import create_site
from .hosting_file import HostedSite, check_site_name, read_hosting, write_hosting

#: Theme options a site keeps even when the template has them: they are in its language.
SITE_OWN_OPTIONS = ("navbar_links",)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("hostdir", metavar="HOSTDIR", help="the hosting folder")
    parser.add_argument("name", metavar="NAME",
                        help="the site's short name: its folder and address (e.g. cd)")
    parser.add_argument("--country", required=True, help="ISO 3166-1 alpha-2 code, e.g. CD")
    parser.add_argument("--languages", required=True, metavar="LANGS",
                        help="the site's languages, its default first, e.g. fr,ln")
    parser.add_argument("--title", help="the site's name (default: GBIF <country>)")


def hand_to_template(conf_text: str, shared: dict[str, Any], template: str) -> str:
    """*conf_text* without the settings the template gives (except the site's own menu),
    ending with ``gbifnode_template = <template>``."""
    tree = ast.parse(conf_text)
    lines = conf_text.splitlines()
    namespace: dict[str, Any] = {}
    exec(compile(tree, "conf.py", "exec"), namespace)  # the file init just wrote
    drop: list[tuple[int, int, str | None]] = []
    for node in tree.body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)):
            continue
        name = node.targets[0].id
        if name in NOT_SHARED or name not in shared:
            continue
        replacement = None
        if name == "html_theme_options" and isinstance(namespace.get(name), dict):
            own = {key: value for key, value in namespace[name].items()
                   if key in SITE_OWN_OPTIONS or key not in shared[name]}
            if own:
                replacement = f"{name} = {pprint.pformat(own, sort_dicts=False, width=88)}"
        drop.append((node.lineno, node.end_lineno or node.lineno, replacement))
    for first, last, replacement in sorted(drop, reverse=True):
        lines[first - 1:last] = [replacement] if replacement else []
    lines += [
        "",
        "# This site is hosted: the settings its host's template gives (theme, colours,",
        "# logo, footer partners) come from there at every build. To change one for this",
        "# site only, set it in this file.",
        f"{CONFIG_NAME} = {template!r}",
    ]
    return "\n".join(lines) + "\n"


def add_site(hostdir: Path, name: str, *, country: str, languages: list[str],
             title: str | None = None) -> HostedSite:
    """Add the site *name* to the hosting folder; nothing is left behind on failure."""
    hosting = read_hosting(hostdir)
    check_site_name(name)
    if hosting.site(name) is not None:
        raise CommandError(
            f"{hosting.path}: a site is already named {name!r}; choose another name"
        )
    conf_path = hosting.template_dir / "conf.py"
    if not conf_path.is_file():
        raise CommandError(f"{conf_path} is missing: the hosting folder has no template")
    try:
        shared = read_template(conf_path)
    except Exception as exc:
        raise CommandError(f"{conf_path}: the template cannot be read ({exc})") from None
    site = HostedSite(name, country.strip().upper(), list(languages))
    target = site.folder(hosting.hostdir)
    create_site(target, country=country, languages=languages, name=title)
    try:
        # As init wrote them (zh-CN -> zh_CN).
        site.languages = load_project(target).languages
        site_conf = target / "conf.py"
        relative = Path("..", "..", hosting.template).as_posix()
        site_conf.write_text(
            hand_to_template(site_conf.read_text(encoding="utf-8"), shared, relative),
            encoding="utf-8",
        )
        hosting.sites.append(site)
        write_hosting(hosting)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    return site


def run(args: argparse.Namespace) -> int:
    languages = [code.strip() for code in args.languages.split(",") if code.strip()]
    site = add_site(Path(args.hostdir), args.name, country=args.country,
                    languages=languages, title=args.title)
    print(f"added {site.name} ({site.country}; {', '.join(site.languages)}) in "
          f"{site.folder(Path(args.hostdir).resolve())}")
    return 0
