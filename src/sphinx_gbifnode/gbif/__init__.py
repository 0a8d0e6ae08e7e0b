"""GBIF data at build time: the API client and snapshots, the ``gbif-*`` directives and
the ``{gbif-count}`` role, their HTML, and the ``gbifnode refresh`` command."""
