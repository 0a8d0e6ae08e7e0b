"""``python -m sphinx_gbifnode`` is the ``gbifnode`` command."""

from .cli import main

raise SystemExit(main())
