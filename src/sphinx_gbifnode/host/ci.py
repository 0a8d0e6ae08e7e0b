"""``gbifnode host ci HOSTDIR --github | --gitlab``: one CI job per hosted site.

A host with fifty sites should not build them all on one machine: the workflow builds
each site as its own job (a GitHub Actions matrix, a GitLab ``parallel:matrix``), then one
last job gathers the sites, writes the landing page and publishes the whole tree (GitHub
Pages, GitLab Pages). The list of sites is written into the workflow: run the command
again after ``gbifnode host add``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..core.files import write_atomic
from .hosting_file import Hosting, read_hosting

GITHUB_FILE = Path(".github") / "workflows" / "gbifnode-host.yml"
GITLAB_FILE = Path(".gitlab-ci.yml")
PYTHON = "3.11"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("hostdir", metavar="HOSTDIR", help="the hosting folder")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--github", action="store_true",
                       help=f"write {GITHUB_FILE} (GitHub Actions, GitHub Pages)")
    which.add_argument("--gitlab", action="store_true",
                       help=f"write {GITLAB_FILE} (GitLab CI, GitLab Pages)")


def _q(value: str) -> str:
    # JSON strings are valid YAML flow scalars: names and paths stay exactly as given.
    return json.dumps(value)


def github_workflow(hosting: Hosting) -> str:
    """A GitHub Actions workflow: a matrix job per site, then one job that publishes."""
    names = ", ".join(_q(site.name) for site in hosting.sites)
    return f"""\
# Written by `gbifnode host ci --github`; run it again after adding a site.
name: hosted sites
on:
  push:
    branches: [main]
  workflow_dispatch:
permissions:
  contents: read
  pages: write
  id-token: write
jobs:
  site:
    name: build ${{{{ matrix.site }}}}
    runs-on: ubuntu-latest
    strategy:
      fail-fast: false
      matrix:
        site: [{names}]
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: {_q(PYTHON)}
      - run: pip install sphinx-gbifnode
      - run: gbifnode host build . _build --sites ${{{{ matrix.site }}}} --no-landing -q
      - uses: actions/upload-artifact@v4
        with:
          name: site-${{{{ matrix.site }}}}
          path: _build/${{{{ matrix.site }}}}
  publish:
    needs: site
    runs-on: ubuntu-latest
    environment:
      name: github-pages
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: {_q(PYTHON)}
      - run: pip install sphinx-gbifnode
      - uses: actions/download-artifact@v4
        with:
          path: _artifacts
      - run: |
          mkdir -p _build
          for folder in _artifacts/site-*; do
            cp -r "$folder" "_build/${{folder#_artifacts/site-}}"
          done
      - run: gbifnode host build . _build --landing-only
      - uses: actions/upload-pages-artifact@v3
        with:
          path: _build
      - uses: actions/deploy-pages@v4
"""


def gitlab_pipeline(hosting: Hosting) -> str:
    """A GitLab pipeline: ``parallel:matrix`` with a job per site, then ``pages``."""
    names = ", ".join(_q(site.name) for site in hosting.sites)
    return f"""\
# Written by `gbifnode host ci --gitlab`; run it again after adding a site.
stages: [build, publish]
site:
  stage: build
  image: python:{PYTHON}
  parallel:
    matrix:
      - SITE: [{names}]
  script:
    - pip install sphinx-gbifnode
    - gbifnode host build . _build --sites "$SITE" --no-landing -q
  artifacts:
    paths:
      - _build/$SITE
pages:
  stage: publish
  image: python:{PYTHON}
  script:
    - pip install sphinx-gbifnode
    - gbifnode host build . _build --landing-only
    - mv _build public
  artifacts:
    paths:
      - public
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
"""


def run(args: argparse.Namespace) -> int:
    hosting = read_hosting(args.hostdir)
    if args.github:
        path, text = hosting.hostdir / GITHUB_FILE, github_workflow(hosting)
    else:
        path, text = hosting.hostdir / GITLAB_FILE, gitlab_pipeline(hosting)
    write_atomic(path, text)
    print(f"wrote {path} ({len(hosting.sites)} site job{'s' if len(hosting.sites) != 1 else ''})")
    return 0
