"""The sentence ledger on the real hosted-portal sites (issue 15: goal 0 lost and
>= 95 % found, for every language of every site).

Each site under ``$GBIFNODE_SHARED/acceptance/hp-pages/`` is imported with
``gbifnode import-jekyll SITE OUT --check`` (which builds it offline); prints, per site
and language, the sentences of the source, those found in the built HTML, those the
report accounts for and those lost, then the reasons of what was not found.

    GBIFNODE_SHARED=/work/shared python benchmarks/bench_ledger.py
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

from sphinx_gbifnode.importer import ledger
from sphinx_gbifnode.importer.command import import_site


def main() -> int:
    shared = os.environ.get("GBIFNODE_SHARED")
    if not shared:
        print("skipped: set GBIFNODE_SHARED (the folder holding acceptance/hp-pages/)")
        return 0
    sites = sorted(p for p in (Path(shared) / "acceptance" / "hp-pages").iterdir()
                   if p.is_dir())
    failed = False
    print(f"{'site':32} {'lang':5} {'sentences':>9} {'found':>6} {'found %':>8} "
          f"{'accounted':>9} {'lost':>5}")
    reasons: Counter[str] = Counter()
    for site in sites:
        with tempfile.TemporaryDirectory() as temporary:
            out = Path(temporary) / "out"
            with contextlib.redirect_stdout(io.StringIO()):
                report = import_site(site, out)
                outcome = ledger.check(site, out, report)
        for language, total in sorted(outcome.totals.items()):
            share = 100 * total.found / total.sentences if total.sentences else 100.0
            failed |= bool(total.lost) or share < 95
            print(f"{site.name:32} {language:5} {total.sentences:9} {total.found:6} "
                  f"{share:7.1f}% {total.accounted:9} {total.lost:5}")
        for _language, _sentence, reason in outcome.missing:
            head = "lost" if reason is None else reason.split(" at ")[0] + ": " + (
                reason.split(": ", 1)[1][:60] if ": " in reason else reason)
            reasons[head] += 1
    print("\nWhy sentences are not in the HTML:")
    for reason, count in reasons.most_common():
        print(f"  {count:4}  {reason}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
