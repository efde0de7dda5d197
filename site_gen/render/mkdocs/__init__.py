"""MkDocs and Material: the running of a language's build, its URL scheme and navigation,
its hooks, theme overrides and speed-ups.  Importing this package imports neither."""
