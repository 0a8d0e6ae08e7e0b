"""What do ``hero`` and ``partner-grid`` cost? (issue: foundation, goal ratio <= 1.10)

Builds, in one run, a generated 200-page site whose pages use a hero and a partner grid,
and the same site written with plain Sphinx images and tables, each in a fresh
``sphinx-build`` process, several times; prints the median times and their ratio.

    python benchmarks/bench_directives.py [--pages 200] [--repeat 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from helpers import png_bytes

WORK = Path(__file__).resolve().parent / "_work" / "directives"
PARTNERS = [("Natural Sciences.be", "https://www.naturalsciences.be/en"),
            ("Meise Botanic Garden", "https://www.plantentuinmeise.be/en/"),
            ("INBO", "https://www.vlaanderen.be/inbo/home/"),
            ("VLIZ", "https://www.vliz.be/en"),
            ("Catalogue of Life", "https://www.catalogueoflife.org/"),
            ("GBIF", "https://www.gbif.org")]


def page_with_directives(number: int) -> str:
    grid = "\n".join(
        f"- name: {name}\n  logo: _static/logo{i}.png\n  url: {url}"
        for i, (name, url) in enumerate(PARTNERS)
    )
    return f"""# Page {number}

:::{{hero}} Biodiversity data, part {number}
:image: _static/hero.png
:alt: Hills under a blue sky
:licence: Illustration, [CC0 1.0](https://creativecommons.org/publicdomain/zero/1.0/)
:cta-primary: Explore <https://www.gbif.org/occurrence/search>

A description of page {number} with *emphasis*.
:::

Some text on page {number}.

:::{{partner-grid}}
:columns: 3
{grid}
:::
"""


def page_plain(number: int) -> str:
    rows = "\n".join(
        f"| ![{name}](_static/logo{i}.png) | [{name}]({url}) |"
        for i, (name, url) in enumerate(PARTNERS)
    )
    return f"""# Page {number}

![Hills under a blue sky](_static/hero.png)

## Biodiversity data, part {number}

A description of page {number} with *emphasis*.

[Explore](https://www.gbif.org/occurrence/search)

Illustration, [CC0 1.0](https://creativecommons.org/publicdomain/zero/1.0/)

Some text on page {number}.

| logo | partner |
|---|---|
{rows}
"""


def make_site(root: Path, pages: int, with_directives: bool) -> Path:
    if root.exists():
        shutil.rmtree(root)
    (root / "_static").mkdir(parents=True)
    (root / "_static" / "hero.png").write_bytes(png_bytes(320, 120))
    for i in range(len(PARTNERS)):
        (root / "_static" / f"logo{i}.png").write_bytes(png_bytes(90, 30, (20 * i, 80, 120)))
    extensions = '["myst_parser", "sphinx_gbifnode"]' if with_directives else '["myst_parser"]'
    (root / "conf.py").write_text(
        f'project = "bench"\nextensions = {extensions}\n'
        'myst_enable_extensions = ["colon_fence"]\nexclude_patterns = ["_build"]\n'
    )
    names = [f"page{i:03d}" for i in range(pages)]
    (root / "index.md").write_text("# Bench\n\n```{toctree}\n" + "\n".join(names) + "\n```\n")
    render = page_with_directives if with_directives else page_plain
    for i, name in enumerate(names):
        (root / f"{name}.md").write_text(render(i))
    return root


def timed_build(root: Path) -> float:
    out = root / "_build"
    if out.exists():
        shutil.rmtree(out)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(root), str(out / "html"),
         "-d", str(out / "doctrees")],
        check=True,
    )
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with_directives = make_site(WORK / "directives", args.pages, True)
    plain = make_site(WORK / "plain", args.pages, False)
    times: dict[str, list[float]] = {"directives": [], "plain": []}
    for _ in range(args.repeat):  # interleaved, so machine load affects both alike
        times["plain"].append(timed_build(plain))
        times["directives"].append(timed_build(with_directives))
    plain_median = statistics.median(times["plain"])
    directive_median = statistics.median(times["directives"])
    print(f"{args.pages} pages, {args.repeat} fresh builds each (median):")
    print(f"  plain images and tables : {plain_median:6.2f} s")
    print(f"  hero + partner-grid     : {directive_median:6.2f} s")
    print(f"  ratio                   : {directive_median / plain_median:6.3f}  (goal <= 1.10)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
