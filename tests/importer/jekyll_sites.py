"""Small Jekyll sites the importer tests write: pages in English at the root and in
French under ``fr/``, as the hosted-portal sites have them."""

from __future__ import annotations

from pathlib import Path

CONFIG = """\
title: Test node
defaults:
  - scope:
      path: ""
    values:
      lang: en
  - scope:
      path: "fr/"
    values:
      lang: fr
"""


def write_site(root: Path, files: dict[str, str | bytes], config_extra: str = "") -> Path:
    """A site at *root* with *files* (path -> text, or bytes written as they are) and
    ``_config.yml`` (:data:`CONFIG` then *config_extra*)."""
    (root / "_data").mkdir(parents=True)
    (root / "_config.yml").write_text(CONFIG + config_extra, encoding="utf-8")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return root
