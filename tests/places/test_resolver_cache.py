"""The resolver's index is cached on disk per gazetteer version (places/resolver_cache.py):
a second process loads it instead of indexing again, a changed gazetteer is indexed again,
review choices are applied after loading, and a damaged file is rebuilt."""

from __future__ import annotations

import pytest

from citydiplomacy.places import resolver, resolver_cache, services
from citydiplomacy.places.models import Place


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


def test_index_is_built_once_per_gazetteer_version(gazetteer, var_dir, monkeypatch):
    builds = []
    real = resolver.build_resolver
    monkeypatch.setattr(resolver, "build_resolver", lambda *a: builds.append(1) or real(*a))
    first = resolver_cache.cached_resolver()
    assert len(builds) == 1 and len(list((var_dir / "cache").glob("resolver-*.pickle"))) == 1
    again = resolver_cache.cached_resolver({("sarajevo", "bosnia"): ("place", "3191281")})
    assert len(builds) == 1  # loaded from disk
    assert again.resolve("Rotterdam", "Netherlands").code == first.resolve("Rotterdam", "Netherlands").code
    assert again.choices == {("sarajevo", "bosnia"): ("place", "3191281")}
    version = resolver_cache.gazetteer_version()
    Place.objects.filter(pk=Place.objects.order_by("pk").first().pk).delete()
    assert resolver_cache.gazetteer_version() != version
    resolver_cache.cached_resolver()
    assert len(builds) == 2
    assert [p.name for p in (var_dir / "cache").glob("resolver-*.pickle")] == [
        f"resolver-{resolver_cache.gazetteer_version()}.pickle"]  # the old version removed


def test_damaged_cache_file_is_built_again(gazetteer, var_dir):
    version = resolver_cache.gazetteer_version()
    resolver_cache.path_for(version).parent.mkdir(parents=True)
    resolver_cache.path_for(version).write_bytes(b"\x80\x05 damaged")
    assert resolver_cache.load(version) is None
    assert resolver_cache.cached_resolver().resolve("Rotterdam", "Netherlands").status == resolver.RESOLVED


def test_services_resolver_uses_the_cache(gazetteer, var_dir):
    services.invalidate_resolver()
    services.get_resolver()
    assert resolver_cache.path_for(resolver_cache.gazetteer_version()).exists()


def test_store_index_builds_once_and_the_next_resolver_reads_it(gazetteer, var_dir, monkeypatch):
    # what load-gazetteer does after loading: the first resolve then builds nothing
    assert resolver_cache.store_index() is True
    assert resolver_cache.path_for(resolver_cache.gazetteer_version()).exists()
    assert resolver_cache.store_index() is False  # this version is stored already
    monkeypatch.setattr(resolver, "build_resolver", lambda *a: pytest.fail("index built again"))
    assert resolver_cache.cached_resolver().resolve("Rotterdam", "Netherlands").status == (
        resolver.RESOLVED)
