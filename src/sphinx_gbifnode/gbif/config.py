"""Every ``gbifnode_*`` setting of the GBIF data layer, declared in one place.

=========================  =====================================================
``gbifnode_api_url``        the GBIF API (default ``https://api.gbif.org/v1``)
``gbifnode_data_dir``       snapshot folder, from the folder of ``conf.py``
``gbifnode_max_age``        seconds a snapshot is fresh (default one week)
``gbifnode_offline``        never ask the API; snapshots only
``gbifnode_image_proxy``    URL of the logo resizer (``{url}`` receives the logo URL)
``gbifnode_timeout``        seconds to wait for an answer
``gbifnode_retries``        attempts after the first, on 429, 5xx and network errors
``gbifnode_backoff``        seconds before the first retry (doubled each time)
=========================  =====================================================
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.logs import warn
from ..core.urls import safe_url

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

DEFAULT_API_URL = "https://api.gbif.org/v1"
#: GBIF's image resizer (the one gbif.org uses): logos come small, from one host, cached.
DEFAULT_IMAGE_PROXY = "https://api.gbif.org/v1/image/unsafe/fit-in/x80/{url}"
ONE_WEEK = 7 * 24 * 3600


def _check_config(app: Sphinx, config: Config) -> None:
    proxy = config.gbifnode_image_proxy
    if proxy is not None and (safe_url(proxy) is None or "{url}" not in proxy):
        warn(
            "gbifnode_image_proxy must be an http(s) URL containing {url}, or None; "
            "logos are shown from their own URLs", subtype="config",
        )
        config.gbifnode_image_proxy = None


def setup(app: Sphinx) -> None:
    """Declare the GBIF settings and check the image proxy once conf.py is read."""
    app.add_config_value("gbifnode_api_url", DEFAULT_API_URL, "env", str)
    app.add_config_value("gbifnode_data_dir", "_data/gbif", "env", str)
    app.add_config_value("gbifnode_max_age", ONE_WEEK, "", (int, float))
    app.add_config_value("gbifnode_offline", False, "", bool)
    app.add_config_value("gbifnode_image_proxy", DEFAULT_IMAGE_PROXY, "env", (str, type(None)))
    # Whole-number defaults, so that "-D gbifnode_timeout=30" works on the command line.
    app.add_config_value("gbifnode_timeout", 10, "", (int, float))
    app.add_config_value("gbifnode_retries", 3, "", int)
    app.add_config_value("gbifnode_backoff", 1, "", (int, float))
    app.connect("config-inited", _check_config)
