"""A cache on disk of what is built from data files and slow to build: the gazetteer takes about
two seconds to build from GeoNames and pycountry, and a tenth of that to load from its pickle, in
every process that needs it (each command, each worker process that is spawned).

A cached copy is used only if the same inputs built it with the same code: its file name holds a
hash of the input files' contents, the versions of Python and of the packages whose data it holds,
and khabar's own source. The folder is $KHABAR_CACHE, else $XDG_CACHE_HOME/khabar, else
~/.cache/khabar; KHABAR_CACHE=off turns the cache off. A cache that cannot be read or written is
worked around (the value is built in memory), never an error: the cache only saves time.

A pickle can run code when loaded, so only a file of the current user's, in a folder of theirs,
is loaded.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TypeVar

import khabar

#: The environment variable naming the cache folder, or "off".
CACHE_VARIABLE = "KHABAR_CACHE"
_OFF = frozenset({"off", "0", "no", "false", "none"})
_CHUNK = 1 << 20

_T = TypeVar("_T")
log = logging.getLogger(__name__)


def cache_dir() -> Path | None:
    """The cache folder in use, or None when the cache is off."""
    chosen = os.environ.get(CACHE_VARIABLE, "").strip()
    if chosen.lower() in _OFF:
        return None
    if chosen:
        return Path(chosen).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "khabar"


def cached(
    name: str,
    build: Callable[[], _T],
    *,
    kind: type[_T],
    inputs: Sequence[Path],
    packages: Sequence[str] = (),
) -> _T:
    """The value `build()` returns, from the cache when the same inputs and code built it before.

    name (str): what is cached ("gazetteer"): the start of its file name.
    build (Callable): builds the value; called when the cache has no copy (or is off).
    kind (type): the value's class; a cached file holding anything else is rebuilt.
    inputs (Sequence[Path]): the data files the value is built from.
    packages (Sequence[str]): the distributions whose data the value holds ("pycountry").
    """
    folder = cache_dir()
    if folder is None:
        return build()
    if folder.exists() and not _owned(folder):
        log.warning("khabar cache %s not used: others may write to it (set %s)", folder, CACHE_VARIABLE)
        return build()
    path = folder / f"{name}-{_key(name, inputs, packages)}.pickle"
    value = _load(path, kind)
    if value is None:
        value = build()
        _save(path, value)
    return value


def _key(name: str, inputs: Sequence[Path], packages: Sequence[str]) -> str:
    digest = hashlib.sha256()
    for part in (name, sys.version, khabar.__version__, _source_hash()):
        digest.update(part.encode() + b"\0")
    for package in packages:
        digest.update(f"{package}=={metadata.version(package)}\0".encode())
    digest.update(_files_hash(inputs).encode())
    return digest.hexdigest()[:24]


@lru_cache(maxsize=1)
def _source_hash() -> str:
    """khabar's own source: a change to any module may change what a cached value holds."""
    return _files_hash(sorted(Path(khabar.__file__).parent.rglob("*.py")))


def _files_hash(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0")
        with path.open("rb") as f:
            while chunk := f.read(_CHUNK):
                digest.update(chunk)
    return digest.hexdigest()


def _load(path: Path, kind: type[_T]) -> _T | None:
    """The value in the file, or None: no file, not the user's, unreadable or of another kind."""
    try:
        if not _owned(path):
            return None
        with path.open("rb") as f, uncollected():
            value = pickle.load(f)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except Exception as exc:  # a damaged or outdated pickle raises almost anything: rebuild it
        log.warning("khabar cache %s unreadable (%s): rebuilding it", path, exc)
        return None
    if not isinstance(value, kind):
        log.warning("khabar cache %s holds no %s: rebuilding it", path, kind.__name__)
        return None
    return value


def _owned(path: Path) -> bool:
    """Whether the file or folder is the current user's and no one else may write to it."""
    status = path.stat()
    if not hasattr(os, "getuid"):  # not POSIX: the user's own profile folder
        return True
    return status.st_uid == os.getuid() and not status.st_mode & 0o022


def _save(path: Path, value: object) -> None:
    """Write the value whole (a reader sees the old file or the new one, never half of one), and
    delete the copies of the same name built from other inputs."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pickle")
        try:
            with os.fdopen(handle, "wb") as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        finally:
            Path(temporary).unlink(missing_ok=True)
        for stale in path.parent.glob(f"{path.name.rsplit('-', 1)[0]}-*.pickle"):
            if stale != path:
                stale.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError) as exc:
        log.warning("khabar cache %s not written (%s): building it in memory each time", path, exc)


@contextmanager
def uncollected() -> Iterator[None]:
    """Python's cycle collector paused while hundreds of thousands of lists and sets are made
    (none in a cycle), which would set it walking them all again and again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
