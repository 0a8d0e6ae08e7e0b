"""How long ``gbifnode import-jekyll`` takes, against builds measured in the same run.

The importer converts the pages, then runs Sphinx's gettext builder once on the new
project and once per translated language. The baseline is one ``sphinx-build -b
gettext`` and one ``-b html`` of the imported project, so the ratios say how many builds
an import costs, whatever the machine. Usage::

    .venv/bin/python benchmarks/bench_import_jekyll.py [SITE]   (default: the test fixture)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sphinx_gbifnode.importer.command import import_site

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SITE = ROOT / "tests" / "fixtures" / "hp-sites" / "demo"
SPHINX_BUILD = Path(sys.executable).parent / "sphinx-build"


def best_of(runs: int, action) -> float:  # type: ignore[no-untyped-def]
    """The fastest of *runs* timings (the least disturbed by other work)."""
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return min(timings)


def main() -> int:
    site = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SITE
    work = Path(tempfile.mkdtemp(prefix="gbifnode-bench-"))
    try:
        out = work / "out"

        def run_import() -> None:
            shutil.rmtree(out, ignore_errors=True)
            import_site(site, out)

        importing = best_of(3, run_import)

        def sphinx(builder: str) -> None:
            # Offline, as the importer's own builds: the network is not what is measured.
            subprocess.run([str(SPHINX_BUILD), "-q", "-E", "-b", builder,
                            "-D", "gbifnode_offline=1", str(out), str(work / builder)],
                           check=True, capture_output=True)

        gettext = best_of(3, lambda: sphinx("gettext"))
        html = best_of(3, lambda: sphinx("html"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"site: {site}")
    print(f"import-jekyll          {importing:6.2f} s")
    print(f"sphinx-build gettext   {gettext:6.2f} s  (baseline)")
    print(f"sphinx-build html      {html:6.2f} s  (baseline)")
    print(f"import / gettext build {importing / gettext:6.2f}x")
    print(f"import / html build    {importing / html:6.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
