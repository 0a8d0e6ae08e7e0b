"""Every ``gbifnode_*`` setting of the GBIF data layer, declared in one place.

=========================  =====================================================
``gbifnode_api_url``        the GBIF API (default ``https://api.gbif.org/v1``)
``gbifnode_data_dir``       snapshot folder, from the folder of ``conf.py``
``gbifnode_max_age``        seconds a snapshot is fresh (default one week)
``gbifnode_offline``        never ask the API; snapshots only
``gbifnode_image_proxy``    URL of the logo resizer (``{url}`` receives the logo URL)
``gbifnode_timeout``        seconds one request may take, start to end
``gbifnode_retries``        attempts after the first, on 429 and 5xx
``gbifnode_backoff``        seconds before the first retry (doubled each time)
=========================  =====================================================

Each is checked once conf.py is read (:mod:`..core.settings`): a wrong type or range is
a warning at its line of conf.py, and the default is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..core.settings import Setting, add_settings, flag, folder, http_url, seconds
from ..core.urls import safe_url

if TYPE_CHECKING:
    from sphinx.application import Sphinx

DEFAULT_API_URL = "https://api.gbif.org/v1"
#: GBIF's image resizer (the one gbif.org uses): logos come small, from one host, cached.
DEFAULT_IMAGE_PROXY = "https://api.gbif.org/v1/image/unsafe/fit-in/x80/{url}"
ONE_WEEK = 7 * 24 * 3600


def image_proxy(value: Any) -> str | None:
    """None, or an http(s) URL with ``{url}`` where the logo's URL goes."""
    if value is None:
        return None
    if safe_url(value) is None or "{url}" not in value:
        raise ValueError("not an http(s) URL containing {url}")
    return http_url(value)


def whole_retries(value: Any) -> int:
    """A small whole number of retries."""
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10:
        raise ValueError("not a whole number from 0 to 10")
    return value


SETTINGS = (
    Setting("gbifnode_api_url", DEFAULT_API_URL, "env", (str,),
            "the http(s) URL of the GBIF API", http_url),
    Setting("gbifnode_data_dir", "_data/gbif", "env", (str,),
            "a folder, relative to conf.py", folder),
    Setting("gbifnode_max_age", ONE_WEEK, "", (int, float),
            "a number of seconds, e.g. 604800 for a week", seconds(infinite=True)),
    Setting("gbifnode_offline", False, "", (bool,), "True or False", flag),
    Setting("gbifnode_image_proxy", DEFAULT_IMAGE_PROXY, "env", (str, type(None)),
            "an http(s) URL containing {url}, or None to show logos from their own URLs",
            image_proxy, fallback=None),
    # Whole-number defaults, so that "-D gbifnode_timeout=30" works on the command line.
    Setting("gbifnode_timeout", 10, "", (int, float),
            "a number of seconds greater than 0, e.g. 10", seconds(above=True)),
    Setting("gbifnode_retries", 3, "", (int,), "a whole number of retries, e.g. 3",
            whole_retries),
    Setting("gbifnode_backoff", 1, "", (int, float),
            "a number of seconds, 0 or more, e.g. 1", seconds()),
)


def setup(app: Sphinx) -> None:
    """Declare the GBIF settings, each checked once conf.py is read."""
    add_settings(app, SETTINGS)
