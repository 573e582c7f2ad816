"""Fixtures of the web tests: the hand-made record of web_record.py in a database, a token, and
TestClients of the real app over it (public, with --auth, and a fresh copy for tests that write)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient
from web_record import fill

from khabar.store.repository import Store
from khabar.web import create_app
from khabar.web.auth import create_token


@pytest.fixture(scope="session")
def record_db(tmp_path_factory) -> Path:
    """The hand-made record in a database file, built once and only read by the tests."""
    path = tmp_path_factory.mktemp("web") / "record.db"
    with Store.open(path) as store:
        fill(store)
    return path


@pytest.fixture(scope="session")
def token(record_db) -> str:
    with Store.open(record_db) as store:
        return create_token(store, "tests")


@pytest.fixture(scope="session")
def client(record_db, token) -> Iterator[TestClient]:
    """The app over the hand-made record, public reads."""
    with TestClient(create_app(record_db)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def locked(record_db, token) -> Iterator[TestClient]:
    """The same app started with --auth."""
    with TestClient(create_app(record_db, auth=True)) as test_client:
        yield test_client


@pytest.fixture
def fresh(tmp_path) -> SimpleNamespace:
    """An app over a fresh copy of the record, for tests that write; `make(**options)` builds it."""
    path = tmp_path / "fresh.db"
    with Store.open(path) as store:
        fill(store)
        secret = create_token(store, "writer")

    def make(**options) -> TestClient:
        return TestClient(create_app(path, **options))

    return SimpleNamespace(path=path, token=secret, make=make)
