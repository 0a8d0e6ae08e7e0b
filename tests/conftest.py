"""Test set-up: real Sphinx projects from ``tests/roots/test-*`` (sphinx.testing)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

pytest_plugins = ("sphinx.testing.fixtures", "gbif_server")

ROOTS = Path(__file__).parent / "roots"


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` (real GBIF responses, real hosted-portal sites): skip when unset."""
    value = os.environ.get("GBIFNODE_SHARED")
    if not value:
        pytest.skip("GBIFNODE_SHARED is not set (real-corpus tests need ../shared)")
    path = Path(value)
    if not path.is_dir():
        pytest.skip(f"GBIFNODE_SHARED={value} is not a directory")
    return path


# The fault-and-attack suite (tests/faults/): every bad input, hostile payload and API
# fault we promise to survive. Its counts are printed at the end of every run, so a
# reader sees at a glance how many cases were tried and how many held.
_FAULT_RESULTS: dict[str, dict[str, int]] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if "tests/faults/" not in report.nodeid.replace("\\", "/"):
        return
    if report.when != "call" and not (report.when == "setup" and not report.passed):
        return
    group = report.nodeid.split("::", 1)[0].rsplit("/", 1)[-1].removeprefix("test_")
    counts = _FAULT_RESULTS.setdefault(group.removesuffix(".py"), {})
    outcome = "passed" if report.passed else "skipped" if report.skipped else "failed"
    counts[outcome] = counts.get(outcome, 0) + 1


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _FAULT_RESULTS:
        return
    terminalreporter.section("fault-and-attack suite")
    total = {"passed": 0, "failed": 0, "skipped": 0}
    for group, counts in sorted(_FAULT_RESULTS.items()):
        tried = sum(counts.values())
        for key in total:
            total[key] += counts.get(key, 0)
        terminalreporter.write_line(
            f"{group:<28} {tried:>4} tried, {counts.get('passed', 0):>4} passed"
            + (f", {counts['failed']} failed" if counts.get("failed") else "")
            + (f", {counts['skipped']} skipped" if counts.get("skipped") else "")
        )
    tried = sum(total.values())
    terminalreporter.write_line(
        f"{'total':<28} {tried:>4} tried, {total['passed']:>4} passed"
        + (f", {total['failed']} failed" if total["failed"] else "")
        + (f", {total['skipped']} skipped" if total["skipped"] else "")
    )
