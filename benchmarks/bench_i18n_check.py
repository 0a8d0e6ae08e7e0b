"""How long does ``gbifnode i18n check`` take on a catalogue of 10,000 entries?

Goal: under 2 s. The baseline, measured in the same run on the same file, is the time
Babel takes just to read the catalogue (what any catalogue tool pays at least).

    .venv/bin/python benchmarks/bench_i18n_check.py [ENTRIES]
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from babel.messages.pofile import read_po

from sphinx_gbifnode.i18n.check.catalogue import check_catalogue
from sphinx_gbifnode.i18n.po_files import read_catalogue

#: (msgid, msgstr) templates in the shape of real MyST pages: prose with links, images,
#: roles, literals and emphasis; every 10th translation is broken.
TEMPLATES = [
    ("The node {n} publishes **open** data on [GBIF](https://www.gbif.org/node/{n}).",
     "Le nœud {n} publie des données **ouvertes** sur [le GBIF](https://www.gbif.org/node/{n})."),
    ("See ![Map {n}](../_static/map-{n}.png) and {{ref}}`the regions <regions-{n}>`.",
     "Voir ![Carte {n}](../_static/map-{n}.png) et {{ref}}`les régions <regions-{n}>`."),
    ("Install it with `pip install sphinx-gbifnode=={n}` and run `make demo`.",
     "Installez-le avec `pip install sphinx-gbifnode=={n}` puis lancez `make demo`."),
    ("Section {n}", "Section {n}"),
    ("A long paragraph {n} about biodiversity data, occurrences, datasets and the "
     "publishers that share them through the network, written to look like real prose.",
     "Un long paragraphe {n} sur les données de biodiversité, les occurrences, les jeux "
     "de données et les éditeurs qui les partagent via le réseau, comme une vraie prose."),
]
BROKEN = (
    "See ![Map {n}](../_static/map-{n}.png).",
    "Voir ! [Carte {n}] (../_ statique/carte.png).",
)
RST_TEMPLATES = [
    ("See :ref:`the regions <regions-{n}>` and ``make demo`` on `GBIF <https://www.gbif.org/{n}>`_.",
     "Voir :ref:`les régions <regions-{n}>` et ``make demo`` sur `le GBIF <https://www.gbif.org/{n}>`_."),
    ("A claim [#f{n}]_ made on |today| by the Partners_ of node {n}, in **bold**.",
     "Une affirmation [#f{n}]_ faite le |today| par les Partners_ du nœud {n}, en **gras**."),
    TEMPLATES[3],
    TEMPLATES[4],
]
RST_BROKEN = ("See :ref:`regions-{n}` now.", "Voir :ref: `regions-{n}` maintenant.")


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_catalogue(path: Path, entries: int, suffix: str = ".md") -> None:
    """*entries* messages of pages ``page-N<suffix>``; every 10th translation is broken."""
    templates, broken = (TEMPLATES, BROKEN) if suffix == ".md" else (RST_TEMPLATES, RST_BROKEN)
    lines = ['msgid ""', 'msgstr ""', '"Language: fr\\n"', ""]
    for n in range(entries):
        msgid, msgstr = broken if n % 10 == 9 else templates[n % len(templates)]
        lines += [f"#: ../../page-{n // 50}{suffix}:{n % 50 * 3 + 1}",
                  f"msgid {quote(msgid.format(n=n))}",
                  f"msgstr {quote(msgstr.format(n=n))}", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def best_of(runs: int, action: Callable[[], object]) -> float:
    """The fastest of *runs* timings: the least disturbed by other processes."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def babel_read(path: Path) -> object:
    with path.open("rb") as handle:
        return read_po(handle)


def main() -> int:
    entries = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    for label, suffix in (("MyST", ".md"), ("reStructuredText", ".rst")):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "fr" / "LC_MESSAGES" / "big.po"
            path.parent.mkdir(parents=True)
            write_catalogue(path, entries, suffix)
            problems = len(check_catalogue(path).problems)
            baseline = best_of(3, lambda: babel_read(path))  # noqa: B023 (used at once)
            reading = best_of(3, lambda: read_catalogue(path))  # noqa: B023
            checking = best_of(3, lambda: check_catalogue(path))  # noqa: B023
        print(f"{label} catalogue: {entries} entries, {problems} problems found "
              f"(every 10th entry broken)")
        print(f"  baseline  Babel read_po:         {baseline:7.3f} s  (1.00)")
        for step, seconds in (("read the .po only", reading), ("read and check", checking)):
            print(f"  i18n check: {step + ':':20} {seconds:7.3f} s  "
                  f"({seconds / baseline:.2f} x baseline)")
        print(f"  goal: under 2 s for 10,000 entries -> {'met' if checking < 2 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
