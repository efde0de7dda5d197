"""site_gen: English Markdown pages plus gettext catalogs → one multilingual static site.

The pipeline, one module per stage:

    segment    Markdown page → translation units with source positions
    catalog    units ⇄ gettext catalogs (.pot/.po), merged with Babel
    translate  page + catalog → translated Markdown, with per-message states
    build      translated pages → one MkDocs build per language (the only MkDocs user)
    checks     rules run on translations and pages
    project    configuration and files on disk
    cli        the site-gen command
"""

__version__ = "0.1.0"
