"""The pool of language builds forks from a parent that has already imported what every
build needs, so no worker imports it again (a host builds many sites' languages)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import json, sys
from sphinx_gbifnode.site.jobs import preload
preload(["myst_parser", "sphinx_gbifnode", "no_such_extension"])
loaded = set(sys.modules)
from sphinx.application import Sphinx
site, out = sys.argv[1], sys.argv[2]
Sphinx(site, site, out + "/html", out + "/doctrees", "html",
       confoverrides={"language": "fr"}, status=None, warning=sys.stderr)
print(json.dumps({"preloaded": sorted(loaded), "by_the_build": sorted(set(sys.modules) - loaded)}))
"""


def test_a_build_after_preload_imports_no_extension_code(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_gbifnode"]\nhtml_theme = "gbifnode"\n'
        'gbifnode_offline = True\n', encoding="utf-8")
    (site / "index.md").write_text("# Home\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(site), str(tmp_path / "out")],
                          capture_output=True, text=True, check=True)
    modules = json.loads(done.stdout.strip().splitlines()[-1])
    # Sphinx's built-in extensions (every build loads them all) and the bulk of MyST and
    # of this extension, which their setup() imports.
    for name in ("sphinx.builders.linkcheck", "sphinx.domains.cpp", "myst_parser.sphinx_ext.main",
                 "sphinx_gbifnode.extension", "sphinx_gbifnode.theme"):
        assert name in modules["preloaded"], name
    # An extension that does not exist is left for the build to report.
    assert "no_such_extension" not in modules["preloaded"]
    late = [name for name in modules["by_the_build"]
            if name.startswith(("sphinx_gbifnode", "sphinx.domains", "requests", "yaml",
                                "markdown_it", "docutils.parsers"))]
    assert late == []


WORKER_SCRIPT = """
import gc, json, sys
from sphinx_gbifnode.site.jobs import LanguageJob, run_jobs
site, out = sys.argv[1], sys.argv[2]
job = LanguageJob("en", ["-q", "-b", "html", "-D", "gbifnode_offline=1", "-d",
                         out + "/doctrees", site, out + "/html"])
(result,) = run_jobs([job], processes=1)
print(json.dumps({"status": result.status, "errors": result.errors,
                  "frozen_after": gc.get_freeze_count()}))
"""


def test_workers_start_with_the_parent_objects_frozen_and_the_parent_unfrozen_after(
    tmp_path: Path,
) -> None:
    """What the workers inherit is frozen for their garbage collector while they run;
    the parent gets its objects back for collection once they are done."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_gbifnode"]\nhtml_theme = "gbifnode"\n'
        'import gc, pathlib\n'
        'pathlib.Path(__file__).with_name("frozen.txt").write_text(str(gc.get_freeze_count()))\n',
        encoding="utf-8")
    (site / "index.md").write_text("# Home\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", WORKER_SCRIPT, str(site), str(tmp_path / "out")],
                          capture_output=True, text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["status"] == 0, result["errors"]
    # Sphinx, the extensions and what they loaded: tens of thousands of objects.
    assert int((site / "frozen.txt").read_text(encoding="utf-8")) > 10_000
    assert result["frozen_after"] == 0
