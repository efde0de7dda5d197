"""``site-gen compile``: every catalog as a .mo file."""

from __future__ import annotations

from pathlib import Path

from site_gen import catalog as catalogs
from site_gen.commands import counted
from site_gen.project import Project


def run(project: Project, output: str | None = None) -> int:
    out = Path(output) if output else project.locales_dir
    files = {}
    for lang in project.targets:
        for page_path in project.catalog_names:
            catalog = project.read_catalog(lang, page_path)
            if catalog is not None:
                target = catalogs.catalog_path(out, lang, page_path).with_suffix(".mo")
                files[target] = catalogs.compile_catalog(catalog)
    catalogs.write_all(files, scratch=project.scratch_dir)
    print(f"compiled {counted(len(files), 'catalog')}")
    return 0
