"""``gbifnode host init HOSTDIR``: a hosting folder with a shared template.

The template is what every hosted site shares: the theme and its colours, the host's
logo, the partners shown in every footer, and partner lists pages can show with
``partner-grid :data: _data/partners.yml``. Sites keep their own pages, menu and
catalogues.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from ..core.errors import CommandError
from ..core.locale import split_languages
from ..core.png import encode_png
from ..site.scaffold import parse_languages
from .hosting_file import FILE_NAME, SITES_DIR, Hosting, write_hosting

TEMPLATE_CONF = '''"""Settings every hosted site shares, applied when each site is built.

A site takes every setting below that its own conf.py does not set; for
html_theme_options, a site's keys replace these one by one. Paths are relative to this
folder. Change something here and every site shows it at its next build.
"""

html_theme = "gbifnode"
html_theme_options = {{
    "logo": "_static/logos/host-logo.png",
    "primary_color": "#1f3b2d",
    "link_color": "#1b6a36",
    "footer_columns": [
        {{
            "partners": [
                {{"name": "GBIF", "logo": "_static/logos/gbif.png",
                 "url": "https://www.gbif.org/"}},
                {{"name": {host_name}, "logo": "_static/logos/host-logo.png"}},
            ],
        }},
    ],
}}
myst_enable_extensions = ["colon_fence"]
'''

PARTNERS_YML = """\
# Partners every hosted site may show on a page with:
#   :::{partner-grid}
#   :data: _data/partners.yml
#   :::
- name: GBIF, the Global Biodiversity Information Facility
  url: https://www.gbif.org/
- name: Convention on Biological Diversity
  url: https://www.cbd.int/
"""

README = """\
# {name}

A hosting folder of sphinx-gbifnode: the sites of several countries, one shared look.

- `template/`: what every site shares (theme, logos, footer partners, `_data/`). Edit it
  and every site changes at its next build.
- `sites/<name>/`: one country's site, its pages and catalogues; owned by that country.
- `{hosting_file}`: the list of sites.

    gbifnode host add . cd --country CD --languages fr,ln
    gbifnode host build . _build
    gbifnode host status .
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("hostdir", metavar="HOSTDIR", help="the hosting folder to create")
    parser.add_argument("--name", default="GBIF hosted sites",
                        help="the host's name, shown on the landing page")
    parser.add_argument("--credit", default="",
                        help="a line crediting the host, shown on the landing page")
    parser.add_argument("--languages", default="en", metavar="LANGS",
                        help="the landing page's languages, default first (default: en)")
    parser.add_argument("--baseurl", default="",
                        help="the address the sites are published at (for sitemaps)")


def logo_png(rgb: tuple[int, int, int]) -> bytes:
    """A small square placeholder logo (replace it with the real one)."""
    size = 64
    return encode_png(size, size, [bytes(rgb) * size] * size)


def create_hosting(
    hostdir: Path, *, name: str, credit: str = "", languages: list[str] | None = None,
    baseurl: str = "",
) -> Hosting:
    """Create the hosting folder *hostdir* (new or empty); nothing is left on failure."""
    hostdir = Path(hostdir)
    if hostdir.exists() and (not hostdir.is_dir() or any(hostdir.iterdir())):
        raise CommandError(f"{hostdir} already exists and is not empty; nothing written")
    if not name.strip():
        raise CommandError("--name is empty; give the host's name")
    codes = parse_languages(",".join(languages or ["en"]))
    hostdir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{hostdir.name}-", dir=hostdir.parent))
    try:
        template = staging / "template"
        (template / "_static" / "logos").mkdir(parents=True)
        (template / "_data").mkdir()
        (template / "conf.py").write_text(
            TEMPLATE_CONF.format(host_name=repr(name.strip())), encoding="utf-8"
        )
        (template / "_static" / "logos" / "host-logo.png").write_bytes(logo_png((31, 59, 45)))
        (template / "_static" / "logos" / "gbif.png").write_bytes(logo_png((78, 154, 50)))
        (template / "_data" / "partners.yml").write_text(PARTNERS_YML, encoding="utf-8")
        (staging / SITES_DIR).mkdir()
        (staging / "README.md").write_text(
            README.format(name=name.strip(), hosting_file=FILE_NAME), encoding="utf-8"
        )
        (staging / ".gitignore").write_text("_build/\nsites/*/_build/\n**/*.mo\n",
                                             encoding="utf-8")
        hosting = Hosting(staging, name=name.strip(), credit=credit.strip(),
                          languages=codes, baseurl=baseurl.strip())
        write_hosting(hosting)
        if hostdir.exists():
            hostdir.rmdir()
        staging.rename(hostdir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    hosting.hostdir = hostdir.resolve()
    return hosting


def run(args: argparse.Namespace) -> int:
    hosting = create_hosting(
        Path(args.hostdir), name=args.name, credit=args.credit,
        languages=split_languages(args.languages), baseurl=args.baseurl,
    )
    print(f"created {hosting.hostdir} (template in {hosting.template_dir})")
    print(f"next: gbifnode host add {hosting.hostdir} NAME --country CC --languages fr,en")
    return 0
