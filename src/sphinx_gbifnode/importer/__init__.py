"""``gbifnode import-jekyll``: turn a GBIF hosted-portal Jekyll site into a Sphinx project.

Reading the site (:mod:`.jekyll_site`), resolving Liquid (:mod:`.liquid`), converting
kramdown pages to MyST (:mod:`.kramdown`), aligning each page with its translations into
``.po`` catalogues (:mod:`.align`) and writing the report (:mod:`.report`) are separate
steps, driven by :mod:`.command`.
"""
