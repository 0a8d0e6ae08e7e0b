"""Writing files that someone may be reading at the same moment."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path


def is_read_only(path: Path) -> bool:
    """True for an existing file nobody may write (``chmod 444``): someone protected it,
    and replacing it through a temporary file would go around that. Checked on the mode
    bits, because ``root`` may write anything."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK)


def write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file, so a reader never sees half a file; a file that
    existed keeps its permissions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    if path.exists():
        shutil.copymode(path, temporary)
    os.replace(temporary, path)
