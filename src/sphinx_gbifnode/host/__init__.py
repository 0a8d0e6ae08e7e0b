"""``gbifnode host``: one install serving several countries' sites.

A hosting folder holds a shared template (``template/``: theme, logos, shared partner
lists, applied to every site at build time by :mod:`sphinx_gbifnode.host_template`), the
sites (``sites/<name>/``, each owned by its country) and ``gbifnode-hosting.toml``, the
list of sites. The commands: ``init`` makes the folder, ``add`` a country's site,
``build`` every site into ``OUT/<site>/<lang>/`` with a landing page, ``ci`` a CI
workflow with one job per site, ``status`` a table of the sites.
"""
