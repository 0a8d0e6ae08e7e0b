"""``gbifnode serve``: a live preview of every language (see :mod:`.command`)."""
