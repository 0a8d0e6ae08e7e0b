"""Without a network: what an unreachable GBIF API costs a fresh ``gbifnode init`` site
(issue 11: goals below), against the same command with ``gbifnode_offline = True``.

In one run, on a site made by ``gbifnode init --country BE --languages en,fr`` (no
snapshots yet), each scenario once per round, rounds interleaved so that the machine's
load weighs on all alike:

* ``gbifnode build`` with ``-D gbifnode_offline=1`` (the baseline);
* ``gbifnode build`` with the API at a loopback port where nothing listens (connection
  refused): goal, median within 2 s of the baseline;
* ``gbifnode build`` with the API at a loopback port that never answers (a listening
  socket whose one-place queue is taken, so connecting times out): goal, within one
  connect timeout (``gbifnode_timeout``, default 10 s) plus 2 s of the baseline;
* ``gbifnode i18n update`` with conf.py offline, and with the API refused or never
  answering: goal, within 10 % of offline.

Every address is on 127.0.0.1, and the commands run with ``HTTP(S)_PROXY`` pointing at a
closed loopback port: even a request to another host would stay on this machine.

    python benchmarks/bench_offline.py [--repeat 5] [--timeout 10]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

WORK = Path(__file__).resolve().parent / "_work" / "offline"
BIN = Path(sys.executable).parent


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def unanswered_port() -> Iterator[int]:
    """A loopback port whose accept queue is full: connecting times out."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = int(listener.getsockname()[1])
    filler = socket.create_connection(("127.0.0.1", port))
    try:
        yield port
    finally:
        filler.close()
        listener.close()


def environment() -> dict[str, str]:
    trap = f"http://127.0.0.1:{closed_port()}"
    env = {k: v for k, v in os.environ.items() if k != "GBIFNODE_API_MARKER"}
    env.update(HTTP_PROXY=trap, HTTPS_PROXY=trap, NO_PROXY="127.0.0.1,localhost")
    return env


ENV = environment()


def run(argv: list[str | Path]) -> float:
    started = time.perf_counter()
    subprocess.run([str(a) for a in argv], check=True, env=ENV,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def make_site(root: Path, api_line: str) -> Path:
    """A fresh ``gbifnode init`` site with *api_line* added to its conf.py."""
    site = root / "site"
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    run([BIN / "gbifnode", "init", site, "--country", "BE", "--languages", "en,fr"])
    with (site / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(f"\n{api_line}\n")
    return site


def build(site: Path, out: Path, *defines: str) -> float:
    shutil.rmtree(out, ignore_errors=True)
    options = [part for define in defines for part in ("-D", define)]
    return run([BIN / "gbifnode", "build", site, out, "-q", *options])


def median_line(label: str, runs: list[float]) -> float:
    middle = statistics.median(runs)
    print(f"{label:<44} {middle:6.2f} s  (runs: {', '.join(f'{x:.2f}' for x in runs)})")
    return middle


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=10.0,
                        help="gbifnode_timeout for the unanswered scenarios (default 10)")
    args = parser.parse_args()
    timeout = f"gbifnode_timeout={args.timeout:g}"

    started = time.perf_counter()
    site = make_site(WORK / "build", "")
    print(f"gbifnode init (en, fr): {time.perf_counter() - started:.2f} s")
    refused_url = f"http://127.0.0.1:{closed_port()}/v1"
    refused = f"gbifnode_api_url={refused_url}"
    # i18n update reads conf.py only (no -D): one site per scenario.
    update_sites = {
        "offline": make_site(WORK / "update-offline", "gbifnode_offline = True"),
        "refused": make_site(WORK / "update-refused", f"gbifnode_api_url = {refused_url!r}"),
    }
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"{cores} cores, load average {os.getloadavg()[0]:.2f} at start")

    times: dict[str, list[float]] = {}
    with unanswered_port() as port:
        unanswered = f"gbifnode_api_url=http://127.0.0.1:{port}/v1"
        update_sites["unanswered"] = make_site(
            WORK / "update-unanswered",
            f"gbifnode_api_url = 'http://127.0.0.1:{port}/v1'\n"
            f"gbifnode_timeout = {args.timeout:g}",
        )
        for _round in range(args.repeat):
            out = WORK / "out"
            times.setdefault("build offline", []).append(
                build(site, out, "gbifnode_offline=1"))
            times.setdefault("build, API refused", []).append(build(site, out, refused))
            times.setdefault("build, API never answers", []).append(
                build(site, out, unanswered, timeout))
            for name, update_site in update_sites.items():
                times.setdefault(f"i18n update, {name}", []).append(
                    run([BIN / "gbifnode", "i18n", "update", update_site]))

    medians = {label: median_line(label, runs) for label, runs in times.items()}
    offline = medians["build offline"]
    print(f"build refused - offline:         {medians['build, API refused'] - offline:+6.2f} s"
          "   (goal <= +2 s)")
    print(f"build never answers - offline:   "
          f"{medians['build, API never answers'] - offline:+6.2f} s"
          f"   (goal <= +{args.timeout + 2:g} s: one connect timeout + 2 s)")
    for name in ("refused", "unanswered"):
        ratio = medians[f"i18n update, {name}"] / medians["i18n update, offline"]
        print(f"i18n update {name + ' / offline:':<21} {ratio:6.2f}     (goal <= 1.10)")
    print(f"load average {os.getloadavg()[0]:.2f} at end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
