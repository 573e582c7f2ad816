"""Fixtures shared by every test: the spaCy pipeline, an in-memory store, a CLI runner, and the
sample corpus. Model-loading tests are marked `slow` (they still run in CI)."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from khabar.models import Article

#: The development workspace's shared folder (gold standard, scorer, public datasets), when present.
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session", autouse=True)
def knowledge_cache(tmp_path_factory) -> Iterator[Path]:
    """The cache of built knowledge (`khabar.knowledge.cache`) in a folder of the test session's,
    for this process and the commands the tests start: never the user's own cache."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KHABAR_CACHE", str(folder))
        yield folder


@pytest.fixture(scope="session")
def nlp():
    from khabar.annotate import build_nlp

    return build_nlp()


@pytest.fixture
def db() -> Iterator:
    from khabar.store.repository import Store

    store = Store.open(":memory:")
    yield store
    store.close()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def samples_dir(tmp_path: Path) -> Path:
    """A copy of the sample corpus shipped in the package (the five seed articles)."""
    target = tmp_path / "samples"
    target.mkdir()
    for sample in resources.files("khabar").joinpath("samples").iterdir():
        if sample.name.endswith(".txt"):
            target.joinpath(sample.name).write_bytes(sample.read_bytes())
    return target


@pytest.fixture
def make_article():
    def make(text: str, *, id: str = "a1", **fields) -> Article:
        return Article(id=id, source=fields.pop("source", f"{id}.txt"), text=text, **fields)

    return make
