"""Fixtures for resolve's tests: the fake knowledge base and gazetteer of resolve_fakes.py."""

from __future__ import annotations

import pytest
from resolve_fakes import ACTORS, FakeGazetteer, FakeKnowledge


@pytest.fixture(scope="session")
def kb() -> FakeKnowledge:
    return FakeKnowledge(ACTORS)


@pytest.fixture(scope="session")
def gz() -> FakeGazetteer:
    return FakeGazetteer()
