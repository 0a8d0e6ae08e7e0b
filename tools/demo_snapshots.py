"""Write the GBIF snapshots that the docs' chart gallery draws from (a maintainer's tool).

The docs build offline from committed snapshots. Two sources, both said on the page:

* Belgium: the example data of the tests' GBIF server (``tests/fixtures/gbif``: GBIF's
  answer shapes, real Belgian publishers, made-up counts), fetched over HTTP through the
  package's own client, exactly as a build would;
* the world: answers GBIF really gave, recorded in ``$GBIFNODE_SHARED/fixtures/gbif-api``
  (see its SOURCES.md). Only the snapshot made from each is committed, dated when GBIF
  answered, and only when the request recorded is the one the page makes.

Usage: ``python tools/demo_snapshots.py`` (from the repository root).
"""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from gbif_server import GbifTestServer  # noqa: E402

from sphinx_gbifnode.gbif.client import (  # noqa: E402
    ClientSettings,
    GbifClient,
    Query,
    facets_problem,
)
from sphinx_gbifnode.gbif.count import count_query  # noqa: E402
from sphinx_gbifnode.gbif.facets import (  # noqa: E402
    chart_query,
    read_counts,
    registry_query,
    top_values,
)
from sphinx_gbifnode.gbif.snapshots import SnapshotStore  # noqa: E402
from sphinx_gbifnode.gbif.stats import default_items  # noqa: E402

DATA_DIR = ROOT / "docs" / "_data" / "gbif"
#: (query, facet, limit) of each Belgian chart of docs/charts.md.
BELGIAN_CHARTS = [
    ("occurrences?country=BE", "year", 10),
    ("occurrences?country=BE", "basisOfRecord", 6),
    ("occurrences?country=BE", "kingdomKey", 10),
    ("occurrences?country=BE", "month", 10),
    ("occurrences?country=BE", "publishingOrg", 5),
]
#: Recorded file -> (query, facet, limit) it answers, and when GBIF answered (SOURCES.md).
RECORDED = {
    "dataset_search_facet_publishingCountry.json":
        (("datasets", "publishingCountry", 5), datetime(2025, 11, 13, 8, 4, tzinfo=UTC)),
    "occurrence_search_facet_country.json":
        (("occurrences?occurrenceStatus=PRESENT", "country", 2),
         datetime(2025, 11, 13, 8, 8, tzinfo=UTC)),
}


def belgium(store: SnapshotStore, client: GbifClient) -> None:
    totals: dict[str, int] = {}
    for text, facet_name, limit in BELGIAN_CHARTS:
        query, facet = chart_query(text, facet_name, limit)
        data = client.fetch(query)
        store.write(query, data)
        totals[text] = data["count"]
        print(f"wrote {store.path(query).name}")
        counts = read_counts(data, facet)
        top, _rest, _other = top_values(counts.counts if counts else [], limit, None)
        for name, _count in top:
            record = registry_query(facet, name)
            if record is not None:
                store.write(record, client.fetch(record))
                print(f"wrote {store.path(record).name}")
    # The row of numbers counts what the pages show: the charts' searches, and the docs'
    # own (recorded) list of publishers rather than the test server's nine.
    listed = store.read(Query("organization", (("country", "BE"),)))
    for text, _label, _link in default_items("BE"):
        query = count_query(text)
        if text in totals:
            store.write(query, {"count": totals[text], "results": []})
        elif query.path == "organization" and listed is not None:
            store.write(query, {"count": listed.data["count"], "results": []},
                        fetched=listed.fetched)
        else:
            store.write(query, client.fetch(query))
        print(f"wrote {store.path(query).name}")


def world(store: SnapshotStore, recorded_dir: Path) -> None:
    for name, ((text, facet_name, limit), answered) in RECORDED.items():
        data = json.loads((recorded_dir / name).read_text(encoding="utf-8"))
        query, _facet = chart_query(text, facet_name, limit)
        problem = facets_problem(data)
        if problem:
            raise SystemExit(f"{name}: {problem}")
        store.write(query, data, fetched=answered)
        print(f"wrote {store.path(query).name} (from {name})")


def main() -> int:
    store = SnapshotStore(DATA_DIR)
    server = GbifTestServer()
    server.start()
    try:
        belgium(store, GbifClient(ClientSettings(api_url=server.url, retries=0)))
    finally:
        server.stop()
    shared = os.environ.get("GBIFNODE_SHARED")
    if not shared:
        print("GBIFNODE_SHARED is not set: the world charts' snapshots are left as they are")
        return 0
    world(store, Path(shared) / "fixtures" / "gbif-api")
    return 0


if __name__ == "__main__":
    sys.exit(main())
