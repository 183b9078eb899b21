"""Fixtures of the fetch tests: scripted local servers and a fetcher that may reach them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator

import pytest

from kiosque.fetch import Fetcher
from tests.fetch.fetch_server import LocalServer, local_settings


@pytest.fixture
def make_server() -> Iterator[Callable[[], LocalServer]]:
    servers: list[LocalServer] = []

    def make() -> LocalServer:
        servers.append(LocalServer())
        return servers[-1]

    yield make
    for s in servers:
        s.close()


@pytest.fixture
def server(make_server: Callable[[], LocalServer]) -> LocalServer:
    return make_server()


@pytest.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    async with Fetcher(local_settings()) as f:
        yield f
