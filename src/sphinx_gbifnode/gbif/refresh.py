"""``gbifnode refresh SRC``: fetch again every GBIF snapshot the site's pages use, and
say what changed.

The pages themselves say what they use: the site is read once with Sphinx's ``dummy``
builder (nothing written) with ``gbifnode_max_age = 0`` and ``gbifnode_offline =
False``, so each ``gbif-*`` directive and ``{gbif-count}`` asks the data layer exactly
as in a real build, and every query is fetched once. The fault rule holds: a failed
request leaves its snapshot as it was and makes the command exit with status 1.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace, patch_docutils

from ..i18n.project import conf_py_of
from .snapshots import Snapshot, data_layer


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``gbifnode refresh``."""
    parser.add_argument("source", metavar="SRC", help="the Sphinx project folder (with conf.py)")
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="print only changes and failures"
    )


def run(args: argparse.Namespace) -> int:
    """``gbifnode refresh``: fetch every snapshot the pages use; 1 when one failed."""
    srcdir = Path(args.source)
    conf_py_of(srcdir)
    with tempfile.TemporaryDirectory(prefix="gbifnode-refresh-") as temp:
        status = io.StringIO()
        with patch_docutils(srcdir), docutils_namespace():
            app = Sphinx(
                srcdir, srcdir, Path(temp, "out"), Path(temp, "doctrees"), "dummy",
                confoverrides={"gbifnode_offline": False, "gbifnode_max_age": 0},
                status=status, warning=sys.stderr, freshenv=True,
            )
            app.build(force_all=True)
            layer = data_layer(app.config)
    for name, (old, new) in sorted(layer.fetched.items()):
        lines = describe_change(old, new)
        if lines or not args.quiet:
            print(f"{name}: {lines[0] if lines else 'unchanged'}")
            for line in lines[1:]:
                print(f"  {line}")
    for problem in sorted(layer.failures.values()):
        print(f"failed: {problem}; the snapshot is kept as it was", file=sys.stderr)
    if not layer.fetched and not layer.failures:
        print(f"{srcdir}: no page uses GBIF data")
    return 1 if layer.failures else 0


def _records(snapshot: Snapshot | None) -> dict[str, str] | None:
    """key -> title of a list snapshot, or None for counts and single records."""
    data = snapshot.data if snapshot is not None else None
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        return None
    records = {}
    for record in data["results"]:
        if isinstance(record, dict):
            key = str(record.get("key") or record.get("id") or record.get("title"))
            records[key] = str(record.get("title") or key)
    return records


def _count(snapshot: Snapshot | None) -> Any:
    data = snapshot.data if snapshot is not None else None
    return data.get("count") if isinstance(data, dict) else None


def describe_change(old: Snapshot | None, new: Snapshot) -> list[str]:
    """Lines saying how *new* differs from *old*: a summary, then ``+``/``-`` per record."""
    if old is None:
        count = _count(new)
        return ["new snapshot" + (f" ({count} records)" if count is not None else "")]
    lines = []
    before, after = _count(old), _count(new)
    if before != after:
        lines.append(f"count {before} -> {after}")
    old_records, new_records = _records(old), _records(new)
    if old_records is not None and new_records is not None:
        added = sorted(new_records[k] for k in new_records.keys() - old_records.keys())
        removed = sorted(old_records[k] for k in old_records.keys() - new_records.keys())
        if added or removed:
            if not lines:
                lines.append(f"{len(added)} added, {len(removed)} removed")
            lines += [f"+ {title}" for title in added] + [f"- {title}" for title in removed]
    elif not lines and old.data != new.data:
        lines.append("changed")
    return lines
