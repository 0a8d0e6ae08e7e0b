"""sphinx-gbifnode documentation, which is also the demo node site (English, French, and
simplified Chinese for the home page)."""

project = "sphinx-gbifnode"
author = "sphinx-gbifnode developers"
copyright = "2026, sphinx-gbifnode developers"

extensions = ["myst_parser", "sphinx_gbifnode"]
myst_enable_extensions = ["colon_fence", "deflist"]

language = "en"
# Simplified Chinese shows a partly translated site: the home page and the menus.
gbifnode_languages = ["en", "fr", "zh_CN"]
locale_dirs = ["../locales"]
gettext_compact = False
figure_language_filename = "{path}{basename}.{language}{ext}"

exclude_patterns = ["_build"]
html_static_path = ["_static"]
html_title = "sphinx-gbifnode"
# Builds must work offline: the demo uses the committed GBIF snapshots only.
gbifnode_offline = True

# The bundled node-website theme (see theme.md): navbar, full-width hero, footer.
html_theme = "gbifnode"
html_theme_options = {
    "logo": "_static/gbifnode-logo.svg",
    "navbar_links": [
        {"title": "Home", "url": "index"},
        {"title": "Getting started", "url": "getting-started"},
        {
            "title": "Reference",
            "children": [
                {"title": "Directives", "url": "directives"},
                {"title": "Theme", "url": "theme"},
            ],
        },
        {"title": "Community", "url": "community"},
        {"title": "GBIF.org", "url": "https://www.gbif.org"},
    ],
    "primary_color": "#1f3b2d",
    "link_color": "#1b6a36",
    "footer_columns": [
        {
            "title": "About this site",
            "text": "The documentation of sphinx-gbifnode, built with the tool it describes.",
            "links": [
                {"title": "Getting started", "url": "getting-started"},
                {"title": "The GBIF network", "url": "https://www.gbif.org/the-gbif-network"},
            ],
        },
        {
            "title": "Partners",
            "partners": [
                {"name": "GBIF", "logo": "_static/logos/gbif.svg", "url": "https://www.gbif.org"},
                {"name": "Natural Sciences.be (RBINS)", "logo": "_static/logos/rbins.svg",
                 "url": "https://www.naturalsciences.be/en"},
                {"name": "Meise Botanic Garden", "logo": "_static/logos/meise.svg",
                 "url": "https://www.plantentuinmeise.be/en/"},
            ],
        },
    ],
    "social_links": [
        {"name": "Belgian Biodiversity Platform on X", "url": "https://twitter.com/Biodiversity_be"},
    ],
}
