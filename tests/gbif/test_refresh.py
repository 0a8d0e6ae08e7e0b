"""``gbifnode refresh SRC`` against the local GBIF test server, as a real command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from helpers import copy_root

PAGE = "# BE\n\n:::{gbif-publishers}\n:country: BE\n:::\n\n{gbif-count}`occurrences?country=BE`\n"


def refresh(srcdir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sphinx_gbifnode", "refresh", str(srcdir)],
        capture_output=True, text=True, timeout=120, check=False,
    )


def test_refresh_fetches_every_snapshot_and_reports_changes(tmp_path: Path, gbif_server) -> None:
    srcdir = copy_root("gbif", tmp_path / "src")
    (srcdir / "index.md").write_text(PAGE, encoding="utf-8")
    with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(f"gbifnode_api_url = {gbif_server.url!r}\ngbifnode_offline = True\n")

    first = refresh(srcdir)
    assert first.returncode == 0, first.stderr
    assert "organization_country-BE.json: new snapshot (9 records)" in first.stdout
    assert "occurrence-search_country-BE_limit-0.json: new snapshot" in first.stdout
    assert len(gbif_server.requests) == 2  # offline in conf.py, but refresh goes online

    organizations = gbif_server.collections["organization"]
    natagora = next(r for r in organizations if r["title"] == "Natagora")
    organizations.remove(natagora)
    organizations.append({**natagora, "key": "7b4f2f30-a1a5-4d7b-8f0c-000000000001",
                          "title": "Natagora (new key)"})
    gbif_server.occurrence_facets = {**gbif_server.occurrence_facets, "count": 63251880}
    second = refresh(srcdir)
    assert second.returncode == 0, second.stderr
    lines = second.stdout.splitlines()
    assert "organization_country-BE.json: 1 added, 1 removed" in lines
    assert "  + Natagora (new key)" in lines
    assert "  - Natagora" in lines
    assert "occurrence-search_country-BE_limit-0.json: count 63251879 -> 63251880" in lines


def test_refresh_failure_keeps_the_snapshot_and_exits_1(tmp_path: Path, gbif_server) -> None:
    srcdir = copy_root("gbif", tmp_path / "src")
    (srcdir / "index.md").write_text(PAGE, encoding="utf-8")
    with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(f"gbifnode_api_url = {gbif_server.url!r}\n")
    assert refresh(srcdir).returncode == 0
    snapshot = srcdir / "_data" / "gbif" / "organization_country-BE.json"
    before = snapshot.read_bytes()
    gbif_server.always = "truncated"
    result = refresh(srcdir)
    assert result.returncode == 1
    assert "failed: GBIF request organization?country=BE failed: the answer is not valid JSON" \
        in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot.read_bytes() == before
    assert json.loads(before)["data"]["count"] == 9


def test_refresh_without_conf_py_is_a_clear_error(tmp_path: Path) -> None:
    result = refresh(tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("gbifnode: error: ") and "no conf.py" in result.stderr
