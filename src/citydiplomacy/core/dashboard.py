"""The dashboard's section registry: apps contribute their figures by registering a function
with `dashboard_section(order)` (in their AppConfig.ready); `sections(user)` answers the
non-empty sections in order. Each function returns None or
{"title": ..., "figures": [(label, value, url-or-None), ...]} for the given user."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_SECTIONS: list[tuple[int, Callable[[Any], dict | None]]] = []


def dashboard_section(order: int):
    def decorator(func):
        _SECTIONS.append((order, func))
        _SECTIONS.sort(key=lambda item: item[0])
        return func
    return decorator


def sections(user) -> list[dict]:
    answered = []
    for _order, func in _SECTIONS:
        section = func(user)
        if section:
            answered.append(section)
    return answered
