"""Whether the GBIF API could be reached in this build, known to every process of it.

The first request that cannot reach the API (connection refused, unknown host, no answer
within ``gbifnode_timeout``) marks the API *down* for the rest of the build: later GBIF
directives go straight to their snapshot, or to their notice, without waiting again.

A build may run in several processes: ``gbifnode build`` runs one per language, and
``sphinx-build -j N`` forks readers. They share the mark through a marker file, a few
bytes in the system's temporary folder (never in the snapshot folder, which is
committed), that lives as long as the build:

* ``gbifnode build`` names the file for all its languages in the environment variable
  :data:`MARKER_VARIABLE` and deletes it when every language is built;
* a build on its own (``sphinx-build``) names one when it starts (forked readers inherit
  the name) and deletes it when it finishes.

The file is created with ``O_EXCL``: the one process that creates it gives the build's
single warning; the others see it and stay quiet. It names the API it is about, so that
sites built together (``gbifnode host build``) with different APIs do not stop one
another.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

#: The environment variable through which ``gbifnode build`` names the marker file.
MARKER_VARIABLE = "GBIFNODE_API_MARKER"
_PREFIX = "gbifnode-api-down-"
#: A marker this old was left by a build that was killed: removed when the next starts.
_LEFTOVER_AGE = 24 * 3600


def new_marker_path() -> Path:
    """A marker path no other build uses (nothing is created)."""
    name = f"{_PREFIX}{os.getpid()}-{secrets.token_hex(6)}"
    return Path(tempfile.gettempdir(), name)


def _remove_leftovers(folder: Path) -> None:
    with contextlib.suppress(OSError):
        for leftover in folder.glob(f"{_PREFIX}*"):
            with contextlib.suppress(OSError):
                if time.time() - leftover.stat().st_mtime > _LEFTOVER_AGE:
                    leftover.unlink()


@contextlib.contextmanager
def shared_marker() -> Iterator[Path]:
    """For ``gbifnode build``: name one marker for every process started inside the
    ``with`` block (through the environment), and remove it afterwards."""
    marker = new_marker_path()
    _remove_leftovers(marker.parent)
    previous = os.environ.get(MARKER_VARIABLE)
    os.environ[MARKER_VARIABLE] = str(marker)
    try:
        yield marker
    finally:
        if previous is None:
            os.environ.pop(MARKER_VARIABLE, None)
        else:
            os.environ[MARKER_VARIABLE] = previous
        with contextlib.suppress(OSError):
            marker.unlink()


class ApiStatus:
    """The reachability of the API at *api_url* for one build."""

    def __init__(self, api_url: str) -> None:
        inherited = os.environ.get(MARKER_VARIABLE)
        #: Whether this build owns the marker (and removes it when it finishes).
        self.owned = not inherited
        self.marker = Path(inherited) if inherited else new_marker_path()
        self.api_url = api_url
        self._reason: str | None = None

    def down(self) -> str | None:
        """Why the API is down for this build, or None while it is not known to be."""
        if self._reason is None:
            try:
                text = self.marker.read_text(encoding="utf-8")
            except OSError:
                return None
            url, _newline, reason = text.partition("\n")
            # Being written (O_EXCL made it, the text follows at once): it is down.
            if text and url != self.api_url:
                return None  # another API, of another site of the same build
            self._reason = reason or "unreachable"
        return self._reason

    def mark_down(self, reason: str) -> bool:
        """Record that the API cannot be reached; True for the first process of the
        build to find out (it alone warns)."""
        self._reason = reason
        try:
            handle = os.open(self.marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return False
        except OSError:  # no usable temp folder: this process still stops asking
            return True
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(f"{self.api_url}\n{reason}")
        return True

    def finish(self) -> None:
        """Remove the marker of a build that named its own."""
        if self.owned:
            with contextlib.suppress(OSError):
                self.marker.unlink()
