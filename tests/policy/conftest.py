from tests.agreements.conftest import create, partners, policy_tables, step  # noqa: F401
