"""The error every ``gbifnode`` command raises for a mistake the user can fix."""

from __future__ import annotations


class CommandError(Exception):
    """A clear, user-facing error: printed as ``gbifnode: error: ...``, exit status 2."""
