"""``gbifnode i18n check``: translations that break the markup of a page, found in the
catalogues and, with ``--built``, in the built pages."""
