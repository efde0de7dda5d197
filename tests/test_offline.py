"""The offline copy: a ZIP that any unzip reads, the same bytes for the same site, however
its parts were compressed."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from site_gen import offline
from site_gen.offline import OfflineCopy

EPOCH = "1700000000"


def add_tree(copy: OfflineCopy, folder: Path, prefix: str) -> None:
    """The files under *folder* added one by one: the archive one writer makes alone."""
    for name, path in offline.tree_files(folder, prefix):
        copy.add(path, name)


def read_back(target: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(target) as archive:
        assert archive.testzip() is None  # every entry's CRC and size check out
        return {info.filename: archive.read(info) for info in archive.infolist()}


def test_offline_copy_is_byte_identical_for_the_same_files(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    site = tmp_path / "site"
    (site / "en").mkdir(parents=True)
    (site / "en" / "index.html").write_text("<p>hello</p>", encoding="utf-8")
    (site / "en" / "bundle.js.map").write_text("{}", encoding="utf-8")
    digests = []
    for _ in range(2):
        copy = OfflineCopy(site)
        add_tree(copy, site / "en", "en")
        target = copy.close()
        digests.append((target.read_bytes(), target.with_name(target.name + ".sha256").read_text()))
        assert list(read_back(target)) == ["site/en/index.html"]  # source maps stay out
    assert digests[0] == digests[1]


def make_site(root: Path, languages: dict[str, dict[str, bytes]]) -> None:
    for code, files in languages.items():
        for name, data in files.items():
            path = root / code / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    (root / "index.html").write_bytes(b"<p>choose</p>")


names = st.text(st.sampled_from("abcé-_"), min_size=1, max_size=6).map(lambda n: f"{n}.html")
contents = st.binary(max_size=3000) | st.text(max_size=2000).map(str.encode)


@settings(max_examples=30, deadline=None)
@given(languages=st.dictionaries(st.sampled_from(["en", "uk", "ru"]),
                                 st.dictionaries(names | names.map(lambda n: f"sub/{n}"), contents,
                                                 min_size=1, max_size=4),
                                 min_size=1))
def test_parts_compressed_apart_join_into_the_archive_one_writer_makes(tmp_path_factory, languages) -> None:
    """Each language worker compresses its files into a part; the joined archive is the
    one the main process would have written alone, and zipfile reads every file back."""
    root = tmp_path_factory.mktemp("site")
    make_site(root, languages)
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        joined = OfflineCopy(root)
        for code in languages:
            part = root.parent / f"{root.name}-{code}.part"
            joined.add_part(part, offline.write_part(root / code, code, part))
        joined.add(root / "index.html", "index.html")
        joined_bytes = joined.close().read_bytes()

        alone = OfflineCopy(root)
        for code in languages:
            add_tree(alone, root / code, code)
        alone.add(root / "index.html", "index.html")
        target = alone.close()
        assert target.read_bytes() == joined_bytes
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before
    files = read_back(target)
    assert files == {"site/index.html": b"<p>choose</p>",
                     **{f"site/{code}/{name}": data for code, found in languages.items()
                        for name, data in sorted(found.items())}}


def test_an_archive_past_the_plain_zip_limits_is_written_with_zip64(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setattr(offline, "MAX_ENTRIES", 2)  # a stand-in for 65,535 files
    make_site(tmp_path, {"en": {f"p{n}.html": f"<p>{n}</p>".encode() for n in range(4)}})
    copy = OfflineCopy(tmp_path)
    add_tree(copy, tmp_path / "en", "en")
    copy.add(tmp_path / "index.html", "index.html")
    files = read_back(copy.close())
    assert files == {**{f"site/en/p{n}.html": f"<p>{n}</p>".encode() for n in range(4)},
                     "site/index.html": b"<p>choose</p>"}
    with zipfile.ZipFile(copy.target) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_entries_carry_the_source_date(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    make_site(tmp_path, {"en": {"a.html": b"a"}})
    copy = OfflineCopy(tmp_path)
    add_tree(copy, tmp_path / "en", "en")
    with zipfile.ZipFile(copy.close()) as archive:
        (info,) = archive.infolist()
        assert info.date_time == (2023, 11, 14, 22, 13, 20)  # 1700000000, to ZIP's 2-second steps
        assert info.compress_type == zipfile.ZIP_DEFLATED and info.external_attr >> 16 == 0o644


def test_a_saved_part_is_reused_only_for_its_inputs_and_only_whole(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    site = tmp_path / "en"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text("<p>Hello</p>" * 50, encoding="utf-8")
    (site / "a" / "b.css").write_text("p{}", encoding="utf-8")
    part, index = tmp_path / "part", tmp_path / "part.json"
    entries = offline.write_part(site, "en", part)
    offline.save_part_index(index, part, "inputs-1", entries)
    assert offline.saved_part(index, part, "inputs-1") == entries
    assert offline.saved_part(index, part, "inputs-2") is None, "other inputs: compressed again"
    part.write_bytes(part.read_bytes()[:-1])
    assert offline.saved_part(index, part, "inputs-1") is None, "a cut part is not reused"
    index.write_text("{not json", encoding="utf-8")
    assert offline.saved_part(index, part, "inputs-1") is None
    assert offline.saved_part(tmp_path / "missing.json", part, "inputs-1") is None
