"""The GBIF API misbehaves: it cannot be reached, never answers, trickles, answers
garbage, hostile nesting, nothing at all, 429 or 5xx. Each fault is one test id.

The promise (the fault rule): the build never fails and never loses a snapshot; an
unreachable API costs one short wait per build, is said once per build with the way
out (``gbifnode_offline``), and every GBIF directive then goes straight to its snapshot
or its notice; any other fault is said once per page, at the directive.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fault_sites import (
    COUNT,
    GBIF_PAGE,
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
from gbif_server import GbifTestServer, refused_url, unanswered_url
from helpers import FIXTURES

#: The test root's deadline (gbifnode_timeout) and what a build may add to it here.
DEADLINE = 0.5
SLACK = 8.0

#: Faults in which the API cannot be reached or does not deliver an answer in time.
#: "refused" and "unanswered" need no server; the others are modes of the test server.
NETWORK_FAULTS = ["refused", "unanswered", "hang", "reset", "trickle", "slow-headers"]
#: What the one warning says for each.
NETWORK_REASONS = {
    "refused": "connection refused",
    "unanswered": f"could not connect within {DEADLINE:g} s",
    "hang": f"no answer within {DEADLINE:g} s",
    "reset": "the connection was closed without an answer",
    "trickle": f"the answer did not arrive in full within {DEADLINE:g} s",
    "slow-headers": f"no answer within {DEADLINE:g} s",
}


@contextlib.contextmanager
def api_with(fault: str, server: GbifTestServer) -> Iterator[str]:
    """The API URL at which *fault* happens."""
    if fault == "refused":
        yield refused_url()
    elif fault == "unanswered":
        with unanswered_url() as url:
            yield url
    else:
        server.always = fault
        yield server.url


def stale_build_with(
    make_app, tmp_path: Path, server: GbifTestServer, fault: str
) -> tuple[dict[str, bytes], Any, str]:
    """Snapshots from a good answer, then a build that asks again and meets *fault*:
    (the snapshots before, the app, its warnings)."""
    srcdir = gbif_site(tmp_path)
    before = seed(make_app, srcdir, server)
    server.always = fault
    app, warnings, _seconds = build_once(make_app, srcdir, gbifnode_api_url=server.url,
                                         gbifnode_max_age=0)
    return before, app, warnings


def gbif_warnings(warnings: str) -> list[str]:
    return [line for line in warnings.splitlines() if "[gbifnode." in line]


# --- an API that cannot be reached: one short wait per build --------------------------


@pytest.mark.parametrize("fault", NETWORK_FAULTS)
def test_unreachable_api_with_snapshots_one_warning_and_the_snapshots(
    make_app, tmp_path: Path, gbif_server, fault: str
) -> None:
    srcdir = gbif_site(tmp_path)
    before = seed(make_app, srcdir, gbif_server)
    with api_with(fault, gbif_server) as url:
        app, warnings, seconds = build_once(make_app, srcdir, gbifnode_api_url=url,
                                            gbifnode_max_age=0)
    assert seconds < DEADLINE + SLACK
    # Asked once at most: the first failure marks the API down for the build.
    assert len(gbif_server.requests) <= 1
    lines = gbif_warnings(warnings)
    assert len(lines) == 1, warnings
    assert UNREACHABLE in lines[0] and NETWORK_REASONS[fault] in lines[0]
    assert "gbifnode_offline = True" in lines[0]
    assert "index.md:3" in lines[0]  # at the directive that found out
    assert "Traceback" not in warnings
    page = page_html(app)
    assert "Natuurpunt" in page and "63,251,879" in page
    assert snapshot_bytes(srcdir) == before  # nothing rewritten, no temp file left


@pytest.mark.parametrize("fault", NETWORK_FAULTS)
def test_unreachable_api_without_snapshots_notices_and_one_warning(
    make_app, tmp_path: Path, gbif_server, fault: str
) -> None:
    srcdir = gbif_site(tmp_path)
    with api_with(fault, gbif_server) as url:
        app, warnings, seconds = build_once(make_app, srcdir, gbifnode_api_url=url)
    assert seconds < DEADLINE + SLACK
    assert len(gbif_server.requests) <= 1
    lines = gbif_warnings(warnings)
    assert sum(UNREACHABLE in line for line in lines) == 1
    assert sum("gbifnode_offline = True" in line for line in lines) == 1
    # Each directive says, at its line, that its page shows no data.
    assert any("index.md:3: WARNING: gbif-count: no snapshot of occurrence/search?" in line
               and "yet, and this build no longer asks the GBIF API, the page says no data "
               "is available" in line for line in lines)
    assert any("index.md:5: WARNING: gbif-publishers: no snapshot of organization?country=BE "
               "yet" in line for line in lines)
    assert len(lines) == 3, warnings
    page = page_html(app)
    assert "No data available from GBIF at the time of this build." in page
    assert '<span class="gbif-count">—</span>' in page
    assert snapshot_bytes(srcdir) == {}


@pytest.mark.parametrize("fault", ["refused", "unanswered", "hang"])
def test_gbifnode_build_shares_the_mark_across_its_language_processes(
    tmp_path: Path, gbif_server, fault: str
) -> None:
    srcdir = bilingual_gbif_site(tmp_path)
    with api_with(fault, gbif_server) as url:
        run = gbifnode("build", srcdir, tmp_path / "out", "-D", f"gbifnode_api_url={url}")
    assert run.status == 0, run.output
    # One language found out; the other went straight to its notices.
    assert run.err.count(UNREACHABLE + " (") == 1, run.err
    assert run.err.count("gbifnode_offline = True") == 1
    assert len(gbif_server.requests) <= 1
    assert run.seconds < DEADLINE + 2 * SLACK
    for language in ("en", "fr"):
        page = (tmp_path / "out" / language / "index.html").read_text(encoding="utf-8")
        assert '<span class="gbif-count">—</span>' in page


@pytest.mark.parametrize("fault", ["refused", "hang"])
def test_sphinx_build_j_shares_the_mark_across_its_readers(
    tmp_path: Path, gbif_server, fault: str
) -> None:
    """``sphinx-build -j 2`` forks readers (above 5 pages): the first to find the API
    unreachable tells the others."""
    pages = [f"p{i}" for i in range(8)]
    srcdir = gbif_site(tmp_path, page="# Site\n\n```{toctree}\n" + "\n".join(pages) + "\n```\n")
    for name in pages:
        (srcdir / f"{name}.md").write_text(GBIF_PAGE.replace("Belgium", name),
                                           encoding="utf-8")
    with api_with(fault, gbif_server) as url:
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "sphinx", "-q", "-j", "2", "-b", "html",
             "-D", f"gbifnode_api_url={url}", str(srcdir), str(tmp_path / "out")],
            capture_output=True, text=True, timeout=240, check=False,
        )
        seconds = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert done.stderr.count(UNREACHABLE) == 1, done.stderr
    assert len(gbif_server.requests) <= 1
    assert seconds < DEADLINE + 2 * SLACK
    # Every page still says, once, that it has no data.
    assert done.stderr.count("gbif-publishers: no snapshot of") == len(pages)


def test_a_translated_page_warns_once_per_page_and_language(
    tmp_path: Path, gbif_server
) -> None:
    """The French paragraph holding ``{gbif-count}`` is parsed again from its msgstr:
    its warning is still given once."""
    srcdir = bilingual_gbif_site(tmp_path)
    gbif_server.always = "500"
    run = gbifnode("build", srcdir, tmp_path / "out", "-D", f"gbifnode_api_url={gbif_server.url}")
    assert run.status == 0, run.output
    for language in ("en", "fr"):
        lines = [line for line in run.err.splitlines() if line.startswith(f"[{language}]")]
        counts = [line for line in lines if "gbif-count:" in line]
        publishers = [line for line in lines if "gbif-publishers:" in line]
        assert len(counts) == 1, run.err
        assert len(publishers) == 1, run.err
        assert "HTTP 500" in counts[0]
    french = (tmp_path / "out" / "fr" / "index.html").read_text(encoding="utf-8")
    assert "FR Belgian publishers shared" in french


def test_the_api_is_asked_again_by_the_next_build(make_app, tmp_path: Path, gbif_server) -> None:
    """The mark lasts one build: the next one asks again (and succeeds)."""
    srcdir = gbif_site(tmp_path)
    _app, warnings, _seconds = build_once(make_app, srcdir, gbifnode_api_url=refused_url())
    assert UNREACHABLE in warnings
    app, warnings, _seconds = build_once(make_app, srcdir, gbifnode_api_url=gbif_server.url)
    assert warnings == ""
    assert "Natuurpunt" in page_html(app)
    assert sorted(gbif_server.paths()) == ["occurrence/search", "organization"]


# --- commands that need no data never touch the network -------------------------------


@pytest.mark.parametrize("command", ["gettext", "i18n update", "init", "import-jekyll"])
def test_message_extraction_never_touches_the_network(
    tmp_path: Path, gbif_server, command: str
) -> None:
    """Every request, to the API of conf.py or to any other host (through the proxy),
    would reach the test server, which hangs: none may come."""
    gbif_server.always = "hang"
    proxy = gbif_server.url.removesuffix("/v1")
    api = f"gbifnode_api_url = {gbif_server.url!r}\ngbifnode_timeout = 5\n"
    if command == "gettext":
        srcdir = gbif_site(tmp_path, conf=api)
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "gettext",
                               str(srcdir), str(tmp_path / "pot")],
                              capture_output=True, text=True, timeout=120, check=False)
        seconds = time.monotonic() - started
        assert done.returncode == 0 and done.stderr == "", done.stderr
        assert (tmp_path / "pot" / "index.pot").is_file()
    elif command == "i18n update":
        srcdir = gbif_site(tmp_path, conf=api + 'gbifnode_languages = ["en", "fr"]\n')
        run = gbifnode("i18n", "update", srcdir, proxy=proxy)
        seconds = run.seconds
        assert run.status == 0 and "[gbifnode." not in run.output, run.output
        assert (srcdir / "locales" / "fr" / "LC_MESSAGES" / "index.po").is_file()
    elif command == "init":
        run = gbifnode("init", tmp_path / "site", "--country", "BE", "--languages", "en,fr",
                       proxy=proxy)
        seconds = run.seconds
        assert run.status == 0, run.output
        assert list((tmp_path / "site" / "locales" / "fr" / "LC_MESSAGES").glob("*.po"))
    else:
        run = gbifnode("import-jekyll", FIXTURES / "hp-sites" / "demo", tmp_path / "site",
                       proxy=proxy)
        seconds = run.seconds
        assert run.status == 0, run.output
    assert gbif_server.requests == []
    assert seconds < 60  # a hanging request would be cut at 5 s per query, and counted


# --- gbifnode refresh -----------------------------------------------------------------


def test_refresh_without_snapshots_and_no_api_says_no_snapshot_yet(tmp_path: Path) -> None:
    srcdir = gbif_site(tmp_path, conf=f"gbifnode_api_url = {refused_url()!r}\n")
    run = gbifnode("refresh", srcdir)
    assert run.status == 1
    assert "could not be reached (connection refused)" in run.err
    assert f"{ORGANIZATIONS}: not refreshed; no snapshot yet" in run.err
    assert f"{COUNT}: not refreshed; no snapshot yet" in run.err
    assert "kept as it was" not in run.err
    assert "Traceback" not in run.output
    assert run.seconds < 30


def test_refresh_with_snapshots_and_no_api_keeps_them(
    make_app, tmp_path: Path, gbif_server
) -> None:
    srcdir = gbif_site(tmp_path)
    before = seed(make_app, srcdir, gbif_server)
    use_api(srcdir, refused_url())
    run = gbifnode("refresh", srcdir)
    assert run.status == 1
    assert f"{ORGANIZATIONS}: not refreshed; the snapshot is kept as it was" in run.err
    assert run.err.count("could not be reached") == 1
    assert snapshot_bytes(srcdir) == before


# --- answers that are not GBIF answers ------------------------------------------------

MALFORMED = {
    "html": "the answer is not valid JSON",
    "truncated": "the answer is not valid JSON",
    "deep": "malformed answer: JSON nested more than 32 levels deep",
    "deep:40": "malformed answer: JSON nested more than 32 levels deep",
}


@pytest.mark.parametrize("fault", list(MALFORMED))
def test_malformed_answer_in_a_build_keeps_the_snapshot(
    make_app, tmp_path: Path, gbif_server, fault: str
) -> None:
    before, app, warnings = stale_build_with(make_app, tmp_path, gbif_server, fault)
    assert MALFORMED[fault] in warnings
    assert "using the snapshot of" in warnings
    assert UNREACHABLE not in warnings  # the API answered: a fault of that query only
    assert "Traceback" not in warnings and "RecursionError" not in warnings
    assert snapshot_bytes(Path(app.srcdir)) == before
    assert "Natuurpunt" in page_html(app)


@pytest.mark.parametrize("fault", list(MALFORMED))
def test_malformed_answer_in_refresh_keeps_the_snapshot(
    make_app, tmp_path: Path, gbif_server, fault: str
) -> None:
    srcdir = gbif_site(tmp_path)
    before = seed(make_app, srcdir, gbif_server)
    use_api(srcdir, gbif_server.url)
    gbif_server.always = fault
    run = gbifnode("refresh", srcdir)
    assert run.status == 1
    assert MALFORMED[fault] in run.err
    assert "the snapshot is kept as it was" in run.err
    assert "Traceback" not in run.output and "RecursionError" not in run.output
    assert snapshot_bytes(srcdir) == before


def test_an_answer_nested_just_deep_enough_is_kept(
    make_app, tmp_path: Path, gbif_server
) -> None:
    """The limit is far above any GBIF answer; a nesting below it is data, stored."""
    srcdir = gbif_site(tmp_path, page="# BE\n\n{gbif-count}`occurrences?publishingCountry=BE`\n")
    nested: object = "bottom"
    for _level in range(28):
        nested = [nested]
    gbif_server.occurrence_facets = {**gbif_server.occurrence_facets, "extra": nested}
    _app, warnings, _seconds = build_once(make_app, srcdir, gbifnode_api_url=gbif_server.url)
    assert warnings == ""
    stored = json.loads((data_dir(srcdir) / COUNT).read_text(encoding="utf-8"))
    assert stored["data"]["extra"] == nested


# --- HTTP errors: the API is there, but refuses this request --------------------------


@pytest.mark.parametrize("fault", ["429:0", "500", "502", "503"])
def test_http_errors_until_retries_run_out_keep_the_snapshot(
    make_app, tmp_path: Path, gbif_server, fault: str
) -> None:
    before, app, warnings = stale_build_with(make_app, tmp_path, gbif_server, fault)
    # Retried (1 + gbifnode_retries = 3 attempts) for each of the two queries.
    assert len(gbif_server.requests) == 6
    lines = gbif_warnings(warnings)
    assert len(lines) == 2, warnings  # one per directive
    status = fault.split(":")[0]
    assert all(f"HTTP {status}" in line and "(3 attempts)" in line for line in lines)
    assert UNREACHABLE not in warnings
    assert snapshot_bytes(Path(app.srcdir)) == before
    assert "Natuurpunt" in page_html(app)


@pytest.mark.parametrize("fault", ["429:0", "503"])
def test_one_http_error_then_an_answer(make_app, tmp_path: Path, gbif_server, fault: str) -> None:
    srcdir = gbif_site(tmp_path)
    gbif_server.faults = [fault]
    app, warnings, _seconds = build_once(make_app, srcdir, gbifnode_api_url=gbif_server.url)
    assert warnings == ""
    assert len(gbif_server.requests) == 3  # the first query twice, the second once
    assert json.loads((data_dir(srcdir) / ORGANIZATIONS).read_text())["data"]["count"] == 9
    assert "Natuurpunt" in page_html(app)
