"""``gbifnode import-jekyll``: the hosted portal's ``stats`` and ``dashboard`` blocks,
which fetched GBIF data in the browser, become ``gbif-stats`` and ``gbif-chart``."""

from __future__ import annotations

from pathlib import Path

import jekyll_sites
from babel.messages.pofile import read_po
from helpers import ONE_LANGUAGE_OF_SITE, build

from sphinx_gbifnode.importer.command import import_site

HOME = """\
---
title: {title}
lang-ref: home
permalink: {link}
composition:
  - type: dashboard
    data: {prefix}charts.dashboard
  - type: dashboard
    data: {prefix}charts.map
  - type: stats
    data: {prefix}charts.graphql
---
"""

DATA = """\
dashboard:
  title: {title}
  config:
    charts: [years, basisOfRecord, iucn]
    predicate:
      type: and
      predicates:
        - type: equals
          key: country
          value: BE
        - type: in
          key: kingdomKey
          values: [1, 6]
map:
  config:
    charts: [year]
    predicate:
      type: within
      geometry: POLYGON((0 0, 1 1, 1 0, 0 0))
graphql:
  features:
    - title: <span data-ajax-url="https://graphql.gbif.org/graphql?query=x">9,000</span>
      description: {label}
"""


def test_dashboard_and_stats_blocks(make_app, tmp_path: Path) -> None:
    site = jekyll_sites.write_site(tmp_path / "site", {
        "en/home.md": HOME.format(title="Home", link="/", prefix=""),
        "fr/home.md": HOME.format(title="Accueil", link="/fr/", prefix="fr."),
        "_data/charts.yml": DATA.format(title="Our data", label="Species"),
        "_data/fr/charts.yml": DATA.format(title="Nos données", label="Espèces"),
    })
    out = tmp_path / "out"
    import_site(site, out)

    home = (out / "index.md").read_text(encoding="utf-8")
    query = "occurrences?country=BE&kingdomKey=1&kingdomKey=6"
    assert (f"::::{{container}} gbif-dashboard\n**Our data**\n\n\n:::{{gbif-chart}}\n"
            f":query: {query}\n:facet: year\n:::\n\n:::{{gbif-chart}}\n:query: {query}\n"
            ":facet: basisOfRecord\n:::\n::::") in home
    assert "% composition block dashboard" in home  # the map's predicate: left out
    assert "- **9,000** Species" in home  # a GraphQL count has no build-time equivalent
    report = (out / "IMPORT-REPORT.md").read_text(encoding="utf-8")
    assert f"dashboard -> 2 gbif-chart ({query}: year, basisOfRecord)" in report
    assert "dashboard chart 'iucn' has no gbif-chart equivalent" in report
    assert "dashboard predicate {'type': 'within'" in report
    assert "graphql.gbif.org" in report and "has no build-time equivalent" in report

    with (out / "locales" / "fr" / "LC_MESSAGES" / "index.po").open("rb") as handle:
        catalogue = {m.id: m.string for m in read_po(handle) if m.id}
    assert catalogue["**Our data**"] == "**Nos données**"
    overrides = {**ONE_LANGUAGE_OF_SITE, "language": "fr", "gbifnode_offline": True}
    french = build(make_app, out, "html", confoverrides=overrides)
    warnings = french.warning.getvalue()
    assert "gbif-chart" in warnings and "ERROR" not in warnings  # offline: no snapshot yet
    assert "Nos données" in (Path(french.outdir) / "index.html").read_text(encoding="utf-8")
