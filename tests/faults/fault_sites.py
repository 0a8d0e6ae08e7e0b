"""Sites and commands for the fault-and-attack suite: a GBIF page, its French twin, and
the ``gbifnode`` command run as a user runs it (a process of its own)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po, write_po
from helpers import build, copy_root

#: One role and one directive, each asking the API for something else.
GBIF_PAGE = (
    "# Data publishers in Belgium\n\n"
    "Belgian publishers shared {gbif-count}`occurrences?publishingCountry=BE` occurrences.\n\n"
    ":::{gbif-publishers}\n:country: BE\n:logos:\n:::\n"
)
ORGANIZATIONS = "organization_country-BE.json"
COUNT = "occurrence-search_publishingCountry-BE_limit-0.json"
#: What a warning that the API could not be reached says, and what it must name.
UNREACHABLE = "could not be reached"


def gbif_site(tmp_path: Path, page: str = GBIF_PAGE, conf: str = "") -> Path:
    """The ``gbif`` test root with *page* as its index (deadline 0.5 s, no real API)."""
    srcdir = copy_root("gbif", tmp_path / "src")
    (srcdir / "index.md").write_text(page, encoding="utf-8")
    if conf:
        with (srcdir / "conf.py").open("a", encoding="utf-8") as out:
            out.write(conf)
    return srcdir


def use_api(srcdir: Path, url: str) -> None:
    """Point conf.py at *url* (for commands run as a user runs them)."""
    with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(f"gbifnode_api_url = {url!r}\n")


def data_dir(srcdir: Path) -> Path:
    return srcdir / "_data" / "gbif"


def snapshot_bytes(srcdir: Path) -> dict[str, bytes]:
    """Every file of the snapshot folder (temp files too), name -> content."""
    folder = data_dir(srcdir)
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.is_dir() else {}


def build_once(make_app: Any, srcdir: Path, **conf: Any) -> tuple[Any, str, float]:
    """A fresh in-process HTML build: (app, warnings without colours, seconds)."""
    started = time.monotonic()
    app = build(make_app, srcdir, confoverrides=conf, freshenv=True)
    seconds = time.monotonic() - started
    return app, re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue()), seconds


def seed(make_app: Any, srcdir: Path, server: Any) -> dict[str, bytes]:
    """Snapshots from a good answer of *server*; returns them byte for byte."""
    _app, warnings, _seconds = build_once(make_app, srcdir, gbifnode_api_url=server.url)
    assert warnings == ""
    server.requests.clear()
    return snapshot_bytes(srcdir)


def page_html(app: Any, docname: str = "index") -> str:
    return (Path(app.outdir) / f"{docname}.html").read_text(encoding="utf-8")


@dataclass
class Run:
    status: int
    out: str
    err: str
    seconds: float

    @property
    def output(self) -> str:
        return self.out + self.err


def gbifnode(*argv: str | Path, proxy: str | None = None, timeout: float = 240) -> Run:
    """``python -m sphinx_gbifnode ARGV`` in a process of its own.

    With *proxy* (``http://127.0.0.1:PORT``), every request to a host other than this
    machine goes to that local server instead, which records it: a test can prove that
    a command asked nothing, and a broken one still sends nothing off the machine."""
    env = dict(os.environ)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
        env.pop(name, None)
    if proxy:
        env.update(HTTP_PROXY=proxy, HTTPS_PROXY=proxy, NO_PROXY="127.0.0.1,localhost")
    env.pop("GBIFNODE_API_MARKER", None)
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "sphinx_gbifnode", *map(str, argv)],
        capture_output=True, text=True, timeout=timeout, check=False, env=env,
    )
    return Run(done.returncode, done.stdout, done.stderr, time.monotonic() - started)


def translate_all(srcdir: Path, prefix: str = "FR ") -> None:
    """Fill every msgstr of the French catalogues with *prefix* + msgid."""
    for po_path in (srcdir / "locales" / "fr" / "LC_MESSAGES").glob("*.po"):
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if message.id:
                message.string = f"{prefix}{message.id}"
        with po_path.open("wb") as handle:
            write_po(handle, catalog)


def bilingual_gbif_site(tmp_path: Path, proxy: str | None = None) -> Path:
    """The GBIF page in English and French, its catalogue made by ``gbifnode i18n
    update`` and translated (the French paragraph holds the role again)."""
    srcdir = gbif_site(tmp_path, conf='gbifnode_languages = ["en", "fr"]\n')
    update = gbifnode("i18n", "update", srcdir, proxy=proxy)
    assert update.status == 0, update.output
    translate_all(srcdir)
    return srcdir
