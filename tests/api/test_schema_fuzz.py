"""API fuzzing against the project's own OpenAPI schema, in process (WSGI), bounded in time.

Every operation is called with generated data anonymously, and the read operations with a token of
each role; the checks: no 5xx, and every response conforms to the schema (status code documented,
body valid, content type declared). Examples are few (this runs in CI on 2 shared cores); the
profile can be raised locally with API_FUZZ_EXAMPLES=50.
"""

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "3"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

_loaded = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
_loaded.app = get_wsgi_application()
schema = _loaded
# Reads whose answer depends on who asks; public lists are covered by the anonymous run.
ROLE_SENSITIVE = r"^/api/v1/(users|kipp|replications|legal-bases|hub-plans|hub-maturity|hub-rounds|innovations/\{)"

FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))  # fmt: skip


@pytest.fixture(autouse=True)
def keep_test_connection():
    """The WSGI handler closes the database connection after each request (request_finished); in tests
    that is the test's own connection, so do what Django's test client does: leave it open."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def reference(db):
    """A little of everything the API lists, so reads return real records."""
    from tests.factories import AgencyFactory, ServiceUnitFactory
    from tests.factories.registry import InnovationFactory

    unit = ServiceUnitFactory(agency=AgencyFactory())
    InnovationFactory(unit=unit)
    return unit


@pytest.mark.django_db
@schema.parametrize()
@FUZZ
def test_api_anonymous(case, reference):
    case.call_and_validate(checks=CHECKS)


ROLES = ["upp", "admin_lokal", "admin_kementerian", "evaluator"]


def _token_for(role, unit):
    from jipp.accounts.tokens import issue_token
    from tests.factories import UserFactory

    extra = {"unit": unit, "agency": unit.agency} if role == "upp" else {}
    if role == "admin_lokal":
        extra = {"agency": unit.agency}
    user = UserFactory(role=role, is_staff=role == "admin_kementerian", **extra)
    return issue_token(user=user, name="fuzz")[1]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@schema.include(method="GET", path_regex=ROLE_SENSITIVE).parametrize()
@settings(FUZZ, max_examples=max(1, EXAMPLES - 1))
def test_api_reads_with_each_role(case, role, reference):
    token = _token_for(role, reference)
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
