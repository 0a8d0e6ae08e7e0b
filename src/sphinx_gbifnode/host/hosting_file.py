"""``gbifnode-hosting.toml``: the host and the list of the sites it serves.

```toml
[host]
name = "Clearing-House Mechanism"
credit = "Hosted by the Belgian Clearing-House Mechanism"
languages = ["fr", "en"]          # of the landing page; the first is its default
baseurl = "https://chm.example.org/"
template = "template"

[[site]]
name = "cd"                       # its folder under sites/ and under OUT/
country = "CD"
languages = ["fr", "ln"]
```

Read with :mod:`tomllib`; written by this module (the file has a fixed, flat shape, so a
small writer keeps what it writes readable and stable).
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import CommandError
from ..core.files import write_atomic

FILE_NAME = "gbifnode-hosting.toml"
SITES_DIR = "sites"
DEFAULT_TEMPLATE = "template"
#: A site's name is its folder and its URL segment.
_SITE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


@dataclass
class HostedSite:
    """One hosted country site."""

    name: str
    country: str
    languages: list[str]
    #: The line of its ``[[site]]`` table in the hosting file (for messages).
    line: int = 0

    def folder(self, hostdir: Path) -> Path:
        return hostdir / SITES_DIR / self.name


@dataclass
class Hosting:
    """The host and its sites, as ``gbifnode-hosting.toml`` says."""

    hostdir: Path
    name: str = "GBIF hosted sites"
    credit: str = ""
    languages: list[str] = field(default_factory=lambda: ["en"])
    baseurl: str = ""
    template: str = DEFAULT_TEMPLATE
    sites: list[HostedSite] = field(default_factory=list)

    @property
    def path(self) -> Path:
        return self.hostdir / FILE_NAME

    @property
    def template_dir(self) -> Path:
        return (self.hostdir / self.template).resolve()

    def site(self, name: str) -> HostedSite | None:
        return next((site for site in self.sites if site.name == name), None)


def check_site_name(name: str) -> str:
    """A site name as a folder and URL segment: lower-case letters, digits, ``-``/``_``."""
    if not _SITE_NAME.match(name):
        raise CommandError(
            f"site name {name!r}: use lower-case letters, digits, '-' or '_' (it becomes the "
            "site's folder and the first part of its address), such as 'cd' or 'benin'"
        )
    return name


def _strings(value: object, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise CommandError(f"{where}: expected a list of language codes, got {value!r}")
    return list(value)


def _site_lines(text: str) -> list[int]:
    return [n for n, line in enumerate(text.splitlines(), 1) if line.strip() == "[[site]]"]


def read_hosting(hostdir: str | Path) -> Hosting:
    """The hosting file of *hostdir*; a clear error (file and line) when it is wrong."""
    hostdir = Path(hostdir).resolve()
    path = hostdir / FILE_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CommandError(
            f"{hostdir} is not a hosting folder: no {FILE_NAME} (create one with "
            f"`gbifnode host init {hostdir}`)"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"{path}: cannot read it ({exc})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CommandError(f"{path}: {exc}") from None
    host = data.get("host", {})
    if not isinstance(host, dict):
        raise CommandError(f"{path}: [host] must be a table")
    hosting = Hosting(hostdir)
    for key in ("name", "credit", "baseurl", "template"):
        value = host.get(key, getattr(hosting, key))
        if not isinstance(value, str):
            raise CommandError(f"{path}: [host] {key} must be a string, got {value!r}")
        setattr(hosting, key, value)
    if "languages" in host:
        hosting.languages = _strings(host["languages"], f"{path}: [host] languages")
    lines = _site_lines(text)
    raw_sites = data.get("site", [])
    if not isinstance(raw_sites, list):
        raise CommandError(f"{path}: 'site' must be [[site]] tables")
    for index, raw in enumerate(raw_sites):
        line = lines[index] if index < len(lines) else 0
        where = f"{path}:{line}" if line else str(path)
        if not isinstance(raw, dict):
            raise CommandError(f"{where}: a [[site]] must be a table")
        name, country = raw.get("name"), raw.get("country")
        if not isinstance(name, str) or not isinstance(country, str):
            raise CommandError(f"{where}: a [[site]] needs a name and a country (strings)")
        try:
            check_site_name(name)
        except CommandError as exc:
            raise CommandError(f"{where}: {exc}") from None
        if hosting.site(name) is not None:
            first = hosting.site(name)
            raise CommandError(
                f"{where}: two sites are named {name!r} (the first at line "
                f"{first.line if first else '?'}); each site needs its own name"
            )
        languages = _strings(raw.get("languages"), f"{where}: languages")
        hosting.sites.append(HostedSite(name, country.upper(), languages, line))
    return hosting


def _toml(value: str | list[str]) -> str:
    # JSON strings are valid TOML basic strings (same escapes for what json emits).
    if isinstance(value, list):
        return "[" + ", ".join(json.dumps(item, ensure_ascii=False) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def write_hosting(hosting: Hosting) -> None:
    """Write the hosting file (atomically: a crash leaves the old one)."""
    lines = [
        "# The sites this folder hosts. `gbifnode host add` appends to it; edit it by hand",
        "# to rename the host, change its credit line or its address.",
        "",
        "[host]",
        f"name = {_toml(hosting.name)}",
        f"credit = {_toml(hosting.credit)}",
        f"languages = {_toml(hosting.languages)}",
        f"baseurl = {_toml(hosting.baseurl)}",
        f"template = {_toml(hosting.template)}",
    ]
    for site in hosting.sites:
        lines += [
            "",
            "[[site]]",
            f"name = {_toml(site.name)}",
            f"country = {_toml(site.country)}",
            f"languages = {_toml(site.languages)}",
        ]
    text = "\n".join(lines) + "\n"
    tomllib.loads(text)  # what we write must read back
    write_atomic(hosting.path, text)
