"""The cache of built knowledge: a value is built once, then loaded, for as long as the same
inputs and code would build it; anything wrong with the cache costs a rebuild, never an error."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from khabar.knowledge import DEFAULT_PATH, cache
from khabar.knowledge.cache import cached
from khabar.knowledge.gazetteer import Gazetteer, _shared_gazetteer


@dataclass
class Built:
    text: str


@pytest.fixture
def folder(tmp_path: Path, monkeypatch) -> Path:
    target = tmp_path / "cache"
    monkeypatch.setenv("KHABAR_CACHE", str(target))
    return target


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "names.tsv"
    path.write_text("Kabul\tKandahar\n", encoding="utf-8")
    return path


class Builder:
    """Builds a value from the source file, counting the builds."""

    def __init__(self, source: Path) -> None:
        self.source, self.builds = source, 0

    def __call__(self) -> Built:
        self.builds += 1
        return Built(self.source.read_text(encoding="utf-8"))

    def get(self) -> Built:
        return cached("names", self, kind=Built, inputs=[self.source])


def test_a_value_is_built_once_then_loaded(folder: Path, source: Path):
    builder = Builder(source)
    first, second = builder.get(), builder.get()
    assert first == second == Built("Kabul\tKandahar\n")
    assert builder.builds == 1
    assert [p.name.startswith("names-") for p in folder.iterdir()] == [True]
    assert folder.stat().st_mode & 0o777 == 0o700


def test_a_changed_input_is_built_again_and_the_old_copy_deleted(folder: Path, source: Path):
    builder = Builder(source)
    builder.get()
    source.write_text("Quetta\n", encoding="utf-8")
    assert builder.get() == Built("Quetta\n") and builder.builds == 2
    assert len(list(folder.iterdir())) == 1


def test_a_new_package_version_is_built_again(folder: Path, source: Path, monkeypatch):
    builder = Builder(source)
    cached("names", builder, kind=Built, inputs=[source], packages=("pycountry",))
    monkeypatch.setattr(cache.metadata, "version", lambda package: "0.0.1")
    cached("names", builder, kind=Built, inputs=[source], packages=("pycountry",))
    assert builder.builds == 2


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05K\x01."])  # empty, garbage, an int
def test_a_damaged_or_foreign_copy_is_rebuilt_and_replaced(damage: bytes, folder: Path, source: Path, caplog):
    builder = Builder(source)
    builder.get()
    (copy,) = folder.iterdir()
    copy.write_bytes(damage)
    with caplog.at_level(logging.WARNING, logger="khabar.knowledge.cache"):
        assert builder.get() == Built("Kabul\tKandahar\n")
    assert builder.builds == 2 and "rebuilding" in caplog.text
    builder.get()
    assert builder.builds == 2  # the rebuilt copy replaced the damaged one


def test_off_builds_every_time_and_writes_nothing(tmp_path: Path, source: Path, monkeypatch):
    monkeypatch.setenv("KHABAR_CACHE", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    builder = Builder(source)
    builder.get(), builder.get()
    assert builder.builds == 2 and not (tmp_path / "xdg").exists()


def test_the_default_folder_is_the_users_cache(tmp_path: Path, source: Path, monkeypatch):
    monkeypatch.delenv("KHABAR_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    Builder(source).get()
    assert [p.name[:6] for p in (tmp_path / "xdg" / "khabar").iterdir()] == ["names-"]


def test_a_folder_that_cannot_be_made_only_costs_the_build(tmp_path: Path, source: Path, monkeypatch, caplog):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("KHABAR_CACHE", str(blocker / "cache"))  # even root cannot make it
    builder = Builder(source)
    with caplog.at_level(logging.WARNING, logger="khabar.knowledge.cache"):
        assert builder.get() == builder.get()
    assert builder.builds == 2 and "not written" in caplog.text


def test_a_folder_others_may_write_to_is_not_used(folder: Path, source: Path, caplog):
    folder.mkdir()
    folder.chmod(0o777)
    builder = Builder(source)
    with caplog.at_level(logging.WARNING, logger="khabar.knowledge.cache"):
        builder.get(), builder.get()
    assert builder.builds == 2 and list(folder.iterdir()) == []
    assert "others may write" in caplog.text


@pytest.fixture
def uncached_gazetteer() -> Iterator[Callable[[Path], Gazetteer]]:
    """`_shared_gazetteer` without its in-process memory, so that each call goes to the cache."""

    def load(folder: Path) -> Gazetteer:
        _shared_gazetteer.cache_clear()
        return _shared_gazetteer(folder)

    yield load
    _shared_gazetteer.cache_clear()


NAMES = [("Kabul", ()), ("Orakzai", ("PK",)), ("Kandahr", ("AF",)), ("Springfield", ("US",))]


def test_the_shared_gazetteer_from_the_cache_answers_as_the_built_one(folder: Path, uncached_gazetteer):
    built = uncached_gazetteer(DEFAULT_PATH)
    loaded = uncached_gazetteer(DEFAULT_PATH)
    assert loaded is not built and len(list(folder.glob("gazetteer-*.pickle"))) == 1
    answers = [[p.id for p in loaded.candidates(name, countries=where)] for name, where in NAMES]
    assert answers == [[p.id for p in built.candidates(name, countries=where)] for name, where in NAMES]
    assert answers[0][0] == "gn:AF:kabul:kabul" and answers[2] == []
    # a misspelling, answered by the spelling keys built before the gazetteer was cached
    assert loaded._respellings is not None
    respelt = loaded.lookup("Kandahr", countries=("AF",))
    assert respelt == built.lookup("Kandahr", countries=("AF",)) and respelt is not None
