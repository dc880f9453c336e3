"""citydiplomacy: run and study a local government's international relations."""

__version__ = "0.1.0"
