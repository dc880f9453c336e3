from tests.agreements.conftest import create, english, partners, policy_tables, step  # noqa: F401
