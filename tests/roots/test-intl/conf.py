# A plain sphinx-intl project: conf.py never mentions sphinx-gbifnode.
project = "Plain intl"
language = "en"
locale_dirs = ["locale/"]
# gettext_compact left at Sphinx's default (True): guide/*.rst share guide.po
html_baseurl = "https://intl.example.org/"
