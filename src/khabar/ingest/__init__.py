"""ingest: the inputs analysts have (files, directories, globs, URLs, standard input) in, RawDoc
records out, one per article, with an InputError in their place for every input that cannot be read.

Formats: plain text and Markdown, HTML (trafilatura extracts the main text and metadata), JSON and
JSON Lines of articles, RSS/Atom feeds, WARC archives. Metadata comes from the document itself,
then a sidecar file `NAME.meta.json` (or `NAME.EXT.meta.json`), then the command line, each
overriding the one before.
"""

from __future__ import annotations

import dataclasses
import glob
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from khabar.errors import InputError
from khabar.ingest.readers import Item, parse_date, read, sniff
from khabar.ingest.remote import fetch
from khabar.models import RawDoc

#: Files larger than this are refused rather than read: no news article is this long.
MAX_FILE_BYTES = 20 * 1024 * 1024
SIDECAR_SUFFIX = ".meta.json"
GLOB_CHARACTERS = set("*?[")


@dataclass(frozen=True)
class Metadata:
    """Metadata given for an input (command line or sidecar); None leaves the document's own."""

    title: str | None = None
    url: str | None = None
    published: date | None = None
    outlet: str | None = None
    author: str | None = None

    def apply(self, doc: RawDoc) -> RawDoc:
        given = {name: value for name, value in dataclasses.asdict(self).items() if value is not None}
        return dataclasses.replace(doc, **given) if given else doc

    @classmethod
    def from_sidecar(cls, path: Path) -> Metadata:
        """RAISES (InputError): the sidecar is not a JSON object or has a bad field."""
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(f"unreadable metadata sidecar: {exc}", source=str(path)) from exc
        if not isinstance(value, dict):
            raise InputError("metadata sidecar must hold a JSON object", source=str(path))
        fields = {f.name for f in dataclasses.fields(cls)}
        strings = {k: v for k, v in value.items() if k in fields and k != "published" and isinstance(v, str)}
        published = parse_date(value.get("published"))
        if value.get("published") and published is None:
            raise InputError(
                f"metadata sidecar has an unreadable date {value['published']!r}", source=str(path)
            )
        return cls(published=published, **strings)


def ingest(
    inputs: Iterable[str], *, metadata: Metadata | None = None, allow_private: bool = False
) -> Iterator[Item]:
    """Every article in the inputs, in order; bad inputs come out as InputError and the rest go on.

    inputs (Iterable[str]): file or directory paths, globs, http(s) URLs, or "-" for standard input.
    metadata (Metadata): applied to every article (overrides the documents' own and sidecars).
    allow_private (bool): let URLs point at loopback, private or link-local addresses.
    """
    given = metadata or Metadata()
    for spec in inputs:
        if spec == "-":
            yield from _with_metadata(read("<stdin>", sys.stdin.buffer.read()), given)
        elif spec.startswith(("http://", "https://")):
            yield from _with_metadata(read_url(spec, allow_private=allow_private), given)
        else:
            for path in expand(spec):
                if isinstance(path, InputError):
                    yield path
                else:
                    yield from read_file(path, metadata=given)


def expand(spec: str) -> Iterator[Path | InputError]:
    """The files a path, directory (recursively) or glob names; sidecars and hidden files skipped."""
    path = Path(spec)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and not _skipped(p, root=path))
        if not files:
            yield InputError("directory holds no files", source=spec)
        yield from files
    elif path.exists() or path.is_symlink():
        yield path
    elif GLOB_CHARACTERS & set(spec):
        matches = sorted(Path(p) for p in glob.glob(spec, recursive=True))
        files = [p for p in matches if p.is_file() and not p.name.endswith(SIDECAR_SUFFIX)]
        if not files:
            yield InputError("no files match this pattern", source=spec)
        yield from files
    else:
        yield InputError("no such file or directory", source=spec)


def _skipped(path: Path, *, root: Path) -> bool:
    hidden = any(part.startswith(".") for part in path.relative_to(root).parts)
    return hidden or path.name.endswith(SIDECAR_SUFFIX)


def read_file(path: Path, *, metadata: Metadata = Metadata()) -> Iterator[Item]:
    """The articles in one file, with its sidecar's metadata and then `metadata` applied."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            yield InputError(
                f"file too large ({size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB)",
                source=name,
            )
            return
        data = path.read_bytes()
        sidecar = find_sidecar(path)
        own = Metadata.from_sidecar(sidecar) if sidecar else Metadata()
    except InputError as exc:
        yield exc
        return
    except OSError as exc:
        yield InputError(f"cannot read: {exc.strerror or exc}", source=name)
        return
    yield from _with_metadata(_with_metadata(read(name, data), own), metadata)


def find_sidecar(path: Path) -> Path | None:
    for candidate in (path.with_name(path.name + SIDECAR_SUFFIX), path.with_name(path.stem + SIDECAR_SUFFIX)):
        if candidate.is_file():
            return candidate
    return None


def read_url(url: str, *, allow_private: bool = False) -> Iterator[Item]:
    """The article (or feed entries) at a URL, fetched with the safety rules of `fetch`."""
    try:
        fetched = fetch(url, allow_private=allow_private)
    except InputError as exc:
        yield exc
        return
    content_type = fetched.content_type.lower()
    if "html" in content_type:
        fmt = "html"
    elif any(kind in content_type for kind in ("rss", "atom", "xml")):
        fmt = "feed"
    elif "json" in content_type:
        fmt = "json"
    else:
        fmt = sniff(fetched.content)
    for item in read(url, fetched.content, fmt=fmt):
        yield dataclasses.replace(item, url=item.url or fetched.url) if isinstance(item, RawDoc) else item


def _with_metadata(items: Iterable[Item], metadata: Metadata) -> Iterator[Item]:
    for item in items:
        yield metadata.apply(item) if isinstance(item, RawDoc) else item
