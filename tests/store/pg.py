"""The PostgreSQL half of the store's tests: a fresh schema on the server ``.ci/run`` starts.

``FORMCOACH_TEST_PG_URL`` names the server; without it the PostgreSQL tests skip with a reason,
except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

PG_ENV = "FORMCOACH_TEST_PG_URL"


def pg_base_url() -> str:
    """The test server's URL, or skip (fail under CI=true) without one."""
    url = os.environ.get(PG_ENV)
    if url:
        return url
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {PG_ENV} is not set: .ci/run starts PostgreSQL and sets it")
    pytest.skip(f"no PostgreSQL server: set {PG_ENV}=postgresql+psycopg://user:pw@host/db to run this half")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL whose search path is a fresh schema, dropped afterwards."""
    from sqlalchemy import create_engine, text

    base = pg_base_url()
    schema = "t_" + uuid.uuid4().hex[:12]
    engine = create_engine(base)
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


