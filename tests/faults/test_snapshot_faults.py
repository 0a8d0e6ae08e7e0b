"""Snapshots under stress: writers killed mid-write, builds running at once, valid but
empty answers, snapshot files no parser should trust. Each case is one test id.

The promise: a snapshot is never truncated, never replaced by worse data during a build,
and whatever a killed writer left is gone when the next build starts.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fault_sites import (
    COUNT,
    ORGANIZATIONS,
    UNREACHABLE,
    bilingual_gbif_site,
    build_once,
    data_dir,
    gbif_site,
    gbifnode,
    page_html,
    seed,
    snapshot_bytes,
    use_api,
)
from gbif_server import refused_url

from sphinx_gbifnode.gbif.client import Query
from sphinx_gbifnode.gbif.snapshots import SnapshotStore

ORGANIZATIONS_QUERY = Query("organization", (("country", "BE"),))

#: Runs its arguments as ``sphinx-build``, with every fsync taking two minutes: the
#: build stops with a whole temp file written and the snapshot not yet replaced, the
#: moment a crash does the most harm.
FROZEN_BUILD = """
import os, sys, time
os.fsync = lambda fd: time.sleep(120)
from sphinx.cmd.build import main
sys.exit(main(sys.argv[1:]))
"""

#: Writes a large snapshot (as many records as a big country has publishers) in a loop.
BUSY_WRITER = """
import sys
from pathlib import Path
from sphinx_gbifnode.gbif.client import Query
from sphinx_gbifnode.gbif.snapshots import SnapshotStore
store = SnapshotStore(Path(sys.argv[1]))
records = [{"key": f"k{i}", "title": "x" * 200, "tags": list(range(40))} for i in range(20_000)]
query = Query("organization", (("country", "BE"),))
while True:
    with store.lock():
        store.write(query, {"count": len(records), "results": records})
"""


def temp_files(srcdir: Path) -> list[Path]:
    return sorted(data_dir(srcdir).glob(".*.tmp"))


def wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


# --- killed mid-write -----------------------------------------------------------------


def test_build_killed_mid_write_keeps_the_snapshot_and_the_next_build_cleans_up(
    make_app, tmp_path: Path, gbif_server
) -> None:
    srcdir = gbif_site(tmp_path)
    before = seed(make_app, srcdir, gbif_server)
    gbif_server.occurrence_facets = {**gbif_server.occurrence_facets, "count": 1}
    build = subprocess.Popen(
        [sys.executable, "-c", FROZEN_BUILD, "-q", "-b", "html",
         "-D", f"gbifnode_api_url={gbif_server.url}", "-D", "gbifnode_max_age=0",
         str(srcdir), str(tmp_path / "killed")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        # Frozen in fsync: the temp file is whole once its bytes are flushed to it.
        wait_for(lambda: any(path.stat().st_size > 0 for path in temp_files(srcdir)))
    finally:
        build.send_signal(signal.SIGKILL)
        build.wait()
    assert build.returncode == -signal.SIGKILL
    left = temp_files(srcdir)
    assert left and left[0].stat().st_size > 0  # a whole temp file, never renamed
    # The snapshots are exactly as before: the killed build replaced nothing.
    assert {k: v for k, v in snapshot_bytes(srcdir).items() if not k.endswith(".tmp")} == before

    # The next build (offline: it writes nothing of its own) removes the leftover.
    app, warnings, _seconds = build_once(make_app, srcdir, gbifnode_offline=True)
    assert warnings == ""
    assert temp_files(srcdir) == []
    assert snapshot_bytes(srcdir) == before
    assert "63,251,879" in page_html(app)


@pytest.mark.parametrize("delay", [0.0, 0.1, 0.5, 2.0])
def test_writer_killed_at_any_moment_leaves_a_whole_snapshot(tmp_path: Path, delay: float
                                                             ) -> None:
    """SIGKILL at some moment after a loop of large writes started writing: the
    snapshot is always one whole version, old or new, never a mix or a cut."""
    folder = tmp_path / "gbif"
    store = SnapshotStore(folder)
    store.write(ORGANIZATIONS_QUERY, {"count": 1, "results": [{"key": "old"}]})
    writer = subprocess.Popen([sys.executable, "-c", BUSY_WRITER, str(folder)])
    try:
        wait_for(lambda: bool(list(folder.glob(".*.tmp"))))
        time.sleep(delay)
    finally:
        writer.send_signal(signal.SIGKILL)
    writer.wait()
    assert writer.returncode == -signal.SIGKILL
    stored = json.loads((folder / ORGANIZATIONS).read_text(encoding="utf-8"))
    assert stored["data"]["count"] == len(stored["data"]["results"])
    assert stored["data"]["count"] in (1, 20_000)
    # Gone at the next start, whatever was left.
    SnapshotStore(folder).remove_leftovers()
    assert list(folder.glob(".*.tmp")) == []


def test_a_live_writers_temp_file_is_left_alone(tmp_path: Path) -> None:
    """Only a writer that holds the folder's lock writes: while it is held (by another
    process), nothing is removed; once it is free, the leftover goes."""
    folder = tmp_path / "gbif"
    folder.mkdir()
    leftover = folder / f".{ORGANIZATIONS}.abc123.tmp"
    leftover.write_text("{", encoding="utf-8")
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time\nfrom pathlib import Path\n"
         "from sphinx_gbifnode.gbif.snapshots import SnapshotStore\n"
         "with SnapshotStore(Path(sys.argv[1])).lock():\n"
         "    print('locked', flush=True)\n    time.sleep(60)\n", str(folder)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        assert SnapshotStore(folder).remove_leftovers() == []
        assert leftover.exists()
    finally:
        holder.kill()
        holder.wait()
    assert SnapshotStore(folder).remove_leftovers() == [leftover]
    assert not leftover.exists()


# --- builds at the same time ----------------------------------------------------------


def two_builds_at_once(srcdir: Path, tmp_path: Path, *defines: str) -> list[str]:
    """``gbifnode build`` twice at the same moment, into out1 and out2: their stderr."""
    command = [sys.executable, "-m", "sphinx_gbifnode", "build", str(srcdir)]
    env = {k: v for k, v in os.environ.items() if k != "GBIFNODE_API_MARKER"}
    options = [part for define in defines for part in ("-D", define)]
    builds = [
        subprocess.Popen([*command, str(tmp_path / f"out{i}"), "-q", *options],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        for i in (1, 2)
    ]
    errors = []
    for process in builds:
        _out, stderr = process.communicate(timeout=240)
        assert process.returncode == 0, stderr
        errors.append(stderr)
    return errors


def test_two_gbifnode_builds_at_once_share_the_snapshots(tmp_path: Path, gbif_server) -> None:
    """Two builds of two languages each: four processes, each query asked once."""
    srcdir = bilingual_gbif_site(tmp_path)
    gbif_server.delay = 0.3  # slow enough for the four to overlap
    for errors in two_builds_at_once(srcdir, tmp_path, f"gbifnode_api_url={gbif_server.url}",
                                     "gbifnode_timeout=10"):
        assert "[gbifnode." not in errors
    assert sorted(gbif_server.paths()) == ["occurrence/search", "organization"]
    stored = json.loads((data_dir(srcdir) / ORGANIZATIONS).read_text(encoding="utf-8"))
    assert len(stored["data"]["results"]) == 9
    assert temp_files(srcdir) == []
    for i in (1, 2):
        for language in ("en", "fr"):
            page = (tmp_path / f"out{i}" / language / "index.html").read_text(encoding="utf-8")
            assert "Natuurpunt" in page


def test_two_builds_at_once_without_the_api_each_warn_once(tmp_path: Path) -> None:
    """Each build has its own mark: each says once that the API could not be reached."""
    srcdir = bilingual_gbif_site(tmp_path)
    for errors in two_builds_at_once(srcdir, tmp_path, f"gbifnode_api_url={refused_url()}"):
        assert errors.count(UNREACHABLE + " (connection refused)") == 1, errors
    assert snapshot_bytes(srcdir) == {}


# --- valid answers with nothing in them -----------------------------------------------


def test_empty_answer_never_replaces_a_snapshot_with_records_in_a_build(
    make_app, tmp_path: Path, gbif_server
) -> None:
    srcdir = gbif_site(tmp_path)
    before = seed(make_app, srcdir, gbif_server)
    gbif_server.always = "empty"
    app, warnings, _seconds = build_once(make_app, srcdir, gbifnode_api_url=gbif_server.url,
                                         gbifnode_max_age=0)
    assert snapshot_bytes(srcdir) == before
    lines = [line for line in warnings.splitlines() if "[gbifnode.gbif]" in line]
    assert len(lines) == 2, warnings
    assert any("GBIF answered no records for organization?country=BE, but the snapshot has "
               "9 records; it is kept (run gbifnode refresh to accept the empty answer)"
               in line for line in lines)
    assert any("but the snapshot has a count of 63251879" in line for line in lines)
    page = page_html(app)
    assert "Natuurpunt" in page and "63,251,879" in page


def test_refresh_accepts_an_empty_answer_and_says_so(make_app, tmp_path: Path, gbif_server
                                                     ) -> None:
    srcdir = gbif_site(tmp_path)
    seed(make_app, srcdir, gbif_server)
    use_api(srcdir, gbif_server.url)
    gbif_server.always = "empty"
    run = gbifnode("refresh", srcdir)
    assert run.status == 0, run.output
    assert (f"{ORGANIZATIONS}: count 9 -> 0: GBIF now answers no records, the snapshot is "
            "emptied (it had 9 records)") in run.out
    assert f"{COUNT}: count 63251879 -> 0: GBIF now answers no records" in run.out
    stored = json.loads((data_dir(srcdir) / ORGANIZATIONS).read_text(encoding="utf-8"))
    assert stored["data"] == {"count": 0, "results": []}
    # The next build takes the (now empty) snapshot as it is, without a word.
    app, warnings, _seconds = build_once(make_app, srcdir, gbifnode_offline=True)
    assert warnings == ""
    assert "GBIF lists nothing for this selection." in page_html(app)


def test_empty_answer_without_a_snapshot_is_stored(make_app, tmp_path: Path, gbif_server
                                                   ) -> None:
    """Nothing to lose: an empty answer is the data."""
    srcdir = gbif_site(tmp_path)
    gbif_server.always = "empty"
    app, warnings, _seconds = build_once(make_app, srcdir, gbifnode_api_url=gbif_server.url)
    assert warnings == ""
    assert json.loads((data_dir(srcdir) / ORGANIZATIONS).read_text())["data"]["count"] == 0
    assert "GBIF lists nothing for this selection." in page_html(app)


def test_empty_answer_replaces_an_empty_snapshot(make_app, tmp_path: Path, gbif_server) -> None:
    srcdir = gbif_site(tmp_path)
    gbif_server.always = "empty"
    build_once(make_app, srcdir, gbifnode_api_url=gbif_server.url)
    first = json.loads((data_dir(srcdir) / ORGANIZATIONS).read_text())["fetched"]
    time.sleep(1.1)  # snapshot times have whole seconds
    _app, warnings, _seconds = build_once(make_app, srcdir, gbifnode_api_url=gbif_server.url,
                                          gbifnode_max_age=0)
    assert warnings == ""
    assert json.loads((data_dir(srcdir) / ORGANIZATIONS).read_text())["fetched"] != first


# --- snapshot files that are not what they should be ----------------------------------


@pytest.mark.parametrize(
    "content",
    [
        pytest.param("[" * 100_000 + "]" * 100_000, id="nested-100000"),
        pytest.param('{"format": 1, "fetched": "2026-01-01T00:00:00+00:00", "data": '
                     + "[" * 50 + "]" * 50 + "}", id="data-nested-50"),
        pytest.param('{"format": 1, "fetched": "yesterday", "data": {}}', id="bad-date"),
        pytest.param("", id="empty-file"),
        pytest.param("\x00\xff", id="binary"),
    ],
)
def test_unreadable_snapshot_is_a_warning_and_a_notice(
    make_app, tmp_path: Path, content: str
) -> None:
    srcdir = gbif_site(tmp_path)
    data_dir(srcdir).mkdir(parents=True)
    (data_dir(srcdir) / ORGANIZATIONS).write_text(content, encoding="utf-8", errors="replace")
    app, warnings, _seconds = build_once(make_app, srcdir, gbifnode_offline=True)
    assert f"GBIF snapshot {ORGANIZATIONS} is unreadable (" in warnings
    assert "Traceback" not in warnings and "RecursionError" not in warnings
    assert "No data available from GBIF" in page_html(app)
