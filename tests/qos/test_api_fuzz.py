"""The JSON API fuzzed from its own OpenAPI document with schemathesis.

Why: the API is documented by the schema FastAPI derives from the code, and clients are
generated from that document; schemathesis sends it generated requests, valid and
invalid, and checks every answer: no server error, a status code and a content type the
schema declares, and a body that validates against the declared response schema. The
app runs in-process over ASGI on the full seeded site, so answers carry real rows
(markup in titles, a ``javascript:`` URL, Arabic text). Examples per operation are
bounded so that the whole run stays well under a minute.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from sqlalchemy import Engine

from kiosque.config import Settings
from kiosque.web.app import create_app
from tests.qos.qosseed import QosSeed

EXAMPLES = 40
POSITIVE = schemathesis.GenerationMode.POSITIVE
NEGATIVE = schemathesis.GenerationMode.NEGATIVE


@pytest.fixture(scope="module")
def api_schema(qos_db: tuple[Engine, QosSeed], qos_settings: Settings) -> Any:
    app = create_app(qos_settings, qos_db[0])
    return schemathesis.openapi.from_asgi("/api/openapi.json", app)


def _operations(api_schema: Any) -> list[Any]:
    """The operations of the JSON API (``/api/``); image routes are the site's, not the API's."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    operations = [op for op in operations if op.path.startswith("/api/")]
    assert operations
    return operations


def _has_parameters(operation: Any) -> bool:
    return bool(operation.path_parameters or operation.query or operation.headers
                or operation.body)


@pytest.mark.parametrize("mode", [POSITIVE, NEGATIVE])
def test_api_conforms_to_its_openapi(api_schema: Any, mode: schemathesis.GenerationMode) -> None:
    """Every operation, with valid (positive) and invalid (negative) generated requests.

    Driven through Hypothesis strategies rather than ``schema.parametrize`` because
    schemathesis' lazy pytest fixture loader does not work with pytest 9.
    """
    # Pydantic reads a number given for a date-time query parameter as a Unix time, which
    # the negative check calls "invalid data accepted"; harmless, so that one check is off
    # for invalid requests. No 5xx and conforming answers are still required.
    excluded = [schemathesis.checks.negative_data_rejection] if mode == NEGATIVE else []
    failures: dict[str, str] = {}
    for operation in _operations(api_schema):

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def fuzz(case: schemathesis.Case[Any]) -> None:
            response = case.call_and_validate(excluded_checks=excluded)
            assert response.status_code < 500, (case.path, response.status_code)

        if mode == NEGATIVE and not _has_parameters(operation):
            continue  # nothing to make invalid
        try:
            fuzz()
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # every operation reports (groups too), then we fail
            failures[operation.label] = f"{type(exc).__name__}: {str(exc)[:1500]}"
    assert not failures, "\n\n".join(f"{k}\n{v}" for k, v in failures.items())


def test_schema_lists_the_public_operations(api_schema: Any) -> None:
    """The fuzzing above is only as wide as the schema: the main reads must be in it."""
    paths = set(api_schema.raw_schema["paths"])
    for wanted in ("/api/v1/articles", "/api/v1/articles/{article_id}", "/api/v1/sources",
                   "/api/v1/ticker"):
        assert wanted in paths, sorted(paths)
