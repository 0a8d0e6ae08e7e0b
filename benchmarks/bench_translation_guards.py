"""What the translation guards cost (issue 11): the share of a French build spent on
turning added HTML and unsafe links into text and on checking the catalogues before
Sphinx compiles them, and the share of ``gbifnode i18n check`` spent on the raw-HTML and
unsafe-URL rules.

In one process, on the generated bilingual site of ``bench_build.py`` (120 pages, every
message translated; one page in ten also carries raw HTML in its translation) and on the
10,000-entry catalogue of ``bench_i18n_check.py``:

* French build: the time inside the guard (the transform on every page and the
  catalogue check at start-up), as a ratio of the whole build;
* i18n check: with the new rules, against the same check with them switched off.

    python benchmarks/bench_translation_guards.py [--pages 120] [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_build  # noqa: E402
import bench_i18n_check  # noqa: E402

from sphinx_gbifnode.i18n import catalogue_guard, translated_markup  # noqa: E402
from sphinx_gbifnode.i18n.check import rules  # noqa: E402
from sphinx_gbifnode.i18n.check.catalogue import check_catalogue  # noqa: E402

WORK = HERE / "_work" / "guards"


def add_raw_html(site: Path) -> None:
    """One translation in ten adds an ``<img>``: the guard has work on those pages."""
    for number, po_path in enumerate(sorted((site / "locales/fr/LC_MESSAGES").glob("page*.po"))):
        if number % 10 == 0:
            text = po_path.read_text(encoding="utf-8")
            added = text.replace('"FR Paragraph 1 ', '"<img src=x onerror=alert(1)> FR '
                                 'Paragraph 1 ', 1)
            assert added != text, po_path
            po_path.write_text(added, encoding="utf-8")


def timed(target: Any, name: str, spent: list[float]) -> Callable[[], None]:
    """Wrap ``target.name`` to add its running time to *spent*; returns the undo."""
    original = getattr(target, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - started

    setattr(target, name, wrapper)
    return lambda: setattr(target, name, original)


def french_build(site: Path, out: Path) -> tuple[float, float]:
    """(whole build, time inside the guards) of one fresh French build, in process."""
    from sphinx.application import Sphinx

    shutil.rmtree(out, ignore_errors=True)
    spent = [0.0]
    undo = [
        timed(translated_markup.KeepTranslatedMarkupAsText, "apply", spent),
        timed(catalogue_guard, "warn_unusable_catalogues", spent),
    ]
    try:
        started = time.perf_counter()
        app = Sphinx(site, site, out, out / ".doctrees", "html",
                     confoverrides={"language": "fr"}, status=None, warning=io.StringIO())
        app.build()
        return time.perf_counter() - started, spent[0]
    finally:
        for step in undo:
            step()


def check_with_and_without(path: Path, repeat: int) -> tuple[float, float]:
    original = rules.unsafe_targets, rules._unsafe_markup

    def without() -> object:
        rules.unsafe_targets = lambda *args: []  # type: ignore[assignment]
        rules._unsafe_markup = lambda *args: []  # type: ignore[assignment]
        try:
            return check_catalogue(path)
        finally:
            rules.unsafe_targets, rules._unsafe_markup = original

    return (bench_i18n_check.best_of(repeat, lambda: check_catalogue(path)),
            bench_i18n_check.best_of(repeat, without))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=120)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    site = bench_build.make_site(WORK, args.pages)
    add_raw_html(site)
    runs = [french_build(site, WORK / "out") for _ in range(args.repeat)]
    # The catalogue check remembers files it read: the first run pays the reading.
    whole = statistics.median(run[0] for run in runs)
    guards = statistics.median(run[1] for run in runs)
    print(f"French build of {args.pages} pages, median of {args.repeat}:")
    print(f"  whole build                 {whole:7.3f} s  (1.00)")
    print(f"  inside the translation guards {guards:5.3f} s  ({guards / whole:.3f} of the build)")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fr" / "LC_MESSAGES" / "big.po"
        path.parent.mkdir(parents=True)
        bench_i18n_check.write_catalogue(path, 10_000, ".md")
        with_rules, without_rules = check_with_and_without(path, args.repeat)
    print("i18n check of 10,000 entries, best of", args.repeat)
    print(f"  without the raw-html and unsafe-url rules {without_rules:6.3f} s  (1.00)")
    print(f"  with them                                 {with_rules:6.3f} s  "
          f"({with_rules / without_rules:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
