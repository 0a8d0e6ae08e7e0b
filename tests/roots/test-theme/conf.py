project = "Test node"
copyright = "2026, Test node"
extensions = ["myst_parser", "sphinx_gbifnode"]
myst_enable_extensions = ["colon_fence"]
locale_dirs = ["locales"]
gettext_compact = False
exclude_patterns = ["_build", "locales"]
html_theme = "gbifnode"
html_theme_options = {
    "logo": "_static/logo.png",
    "navbar_links": [
        {"title": "Home", "url": "index"},
        {
            "title": "About us",
            "url": "about/index",
            "children": [
                {"title": "Our team", "url": "about/team"},
                {"title": "Data portal", "url": "https://www.gbif.org/country/BE"},
            ],
        },
        {"title": "Publishers", "url": "https://www.gbif.org/publisher/search?country=BE"},
    ],
    "primary_color": "#123456",
    "link_color": "#0b5394",
    "footer_columns": [
        {
            "title": "Contact us",
            "text": "Avenue Louise 231, Brussels",
            "links": [{"title": "Our team", "url": "about/team"}],
        },
        {
            "title": "Our partners",
            "partners": [
                {"name": "Botanic Garden Meise", "logo": "_static/meise.png",
                 "url": "https://www.plantentuinmeise.be"},
                {"name": "A partner without logo"},
            ],
        },
    ],
    "social_links": [{"name": "Mastodon", "url": "https://mastodon.social/@gbif"}],
}
