"""The renderer seam: everything that knows the site engine (MkDocs) and its theme (Material)."""
