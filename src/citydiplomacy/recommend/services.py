"""Writes and the process-wide recommender: training, ranking for an organisation with the
national policy applied, partner-seeking profiles, and "add as draft agreement".

The recommender (world + model) is loaded once per process and reloaded when a newer model
is trained. The policy status comes from citydiplomacy.policy (its PolicyIndex); the draft
agreement is created by citydiplomacy.agreements.services.create_agreement.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citydiplomacy.accounts import permissions
from citydiplomacy.governments.models import GovernmentKind, LocalGovernment

from . import snapshot
from .engine import Ranking, Recommender
from .features import NAMES, FeatureEngine
from .learn import BAGS, EMPHASIS, LinearModel, train
from .models import PartnerProfile, TrainedModel
from .world import load_world

MODEL_FILE = "recommender.json"
_lock = threading.Lock()
_cache: dict[str, object] = {}


def model_path() -> Path:
    return Path(settings.CITYDIPLOMACY_MODEL_DIR) / MODEL_FILE


# --------------------------------------------------------------------------- training
def train_recommender(source: str = "auto", seed: int = 0, stdout=None) -> TrainedModel:
    """Train on the current registry (or the vendored network), store file + DB row."""
    world = load_world(source)
    if len(world.edges) < 10:
        raise ValidationError(_("The network has too few ties to learn from (%(n)d).")
                              % {"n": len(world.edges)})
    engine = FeatureEngine(world)
    model = train(engine, rng=np.random.default_rng(seed), bags=settings.CITYDIPLOMACY_RECOMMENDER_FITS or BAGS)
    path = model_path()
    model.save(path)
    row = TrainedModel.objects.create(
        trained_at=dt.datetime.fromisoformat(model.trained_at), path=str(path),
        source=world.source, nodes=model.counts["nodes"], candidates=model.counts["candidates"],
        ties=model.counts["ties"], training_rows=model.counts["training_rows"],
        seconds=model.counts["seconds"], metrics=model.metrics,
    )
    with _lock:
        _cache.clear()
        _cache["recommender"] = Recommender(world, model, engine=engine)
        _cache["key"] = _cache_key()
        _cache["source"] = source
        snapshot.save(source, _cache["key"], _cache["recommender"])
    return row


def world_key() -> tuple[int, int]:
    """What a world built from the database changes with: its reported ties and local
    governments."""
    from citydiplomacy.places.models import ReportedTie

    return (ReportedTie.objects.count(), LocalGovernment.objects.count())


def _cache_key() -> tuple:
    path = model_path()
    mtime = path.stat().st_mtime if path.exists() else 0
    return (mtime, *world_key())


def build_recommender(source: str = "auto") -> Recommender | None:
    """Build the recommender from the model file and the world (seconds); None without a
    usable model."""
    path = model_path()
    if not path.exists():
        return None
    model = LinearModel.load(path)
    if list(model.names) != list(NAMES):  # trained before the features changed
        return None
    return Recommender(load_world(source), model)


def get_recommender(source: str = "auto") -> Recommender | None:
    """The process-wide recommender; None when no model has been trained.

    When its inputs changed (a training, new ties or local governments), the snapshot the task
    worker built from them is loaded (recommend/snapshot.py); until it exists, the recommender
    held so far keeps answering and a snapshot is asked for: no request builds one, except
    the very first of a process that was not warmed up (web/ops/warm.py)."""
    path = model_path()
    if not path.exists():
        return None
    key = _cache_key()
    with _lock:
        held = _cache.get("recommender")
        if held is not None and _cache.get("key") == key:
            return held
    recommender = snapshot.load(source, key)
    if recommender is None and held is not None and _cache.get("source") == source:
        snapshot.request(source)
        return held
    if recommender is None:
        recommender = build_recommender(source)
        if recommender is None:
            return None
    with _lock:
        _cache.update(recommender=recommender, key=key, source=source)
    return recommender


def recommender_updating() -> bool:
    """Is the recommender held older than its inputs (a new one being built)?"""
    with _lock:
        key = _cache.get("key")
    return key is not None and model_path().exists() and key != _cache_key()


def set_recommender(recommender: Recommender | None) -> None:
    """Install a recommender (CLI over the vendored network, tests)."""
    with _lock:
        _cache.clear()
        if recommender is not None:
            _cache["recommender"] = recommender
            _cache["key"] = _cache_key()
            _cache["source"] = "auto"


# --------------------------------------------------------------------------- policy
def policy_for_ranking(on: dt.date | None = None):
    """(country code -> relation status on the day, {(country, GeoNames admin1): (status,
    ISO 3166-2 code)} for the regions the policy table has rows for) — the engine's inputs."""
    from citydiplomacy.policy.selectors import PolicyIndex

    index = PolicyIndex()
    day = on or timezone.localdate()
    regions = {key: (index.status_on(key[0], day, code), code)
               for key, code in index.admin1_regions.items()}
    return (lambda code: index.status_on(code, day)), regions


# --------------------------------------------------------------------------- profiles
def profile_matches(profile: PartnerProfile | None, *, country_code: str, subregion: str,
                    population: float) -> bool:
    if profile is None or not profile.is_open:
        return False
    if profile.countries and country_code not in profile.countries:
        return False
    if profile.regions and subregion not in profile.regions:
        return False
    if profile.min_population and population and population < profile.min_population:
        return False
    return not (profile.max_population and population and population > profile.max_population)


def save_profile(*, actor, organisation: LocalGovernment, **data) -> PartnerProfile:
    if not permissions.can_edit_organisation(actor, organisation.pk):
        raise PermissionDenied(_("You may not edit this organisation's partner profile."))
    countries = [c.strip().upper() for c in data.get("countries", []) if c.strip()]
    bad = [c for c in countries if len(c) != 2 or not c.isalpha()]
    if bad:
        raise ValidationError({"countries": _("Unknown country codes: %(codes)s") % {
            "codes": ", ".join(bad)}})
    lo, hi = data.get("min_population"), data.get("max_population")
    if lo and hi and lo > hi:
        raise ValidationError({"max_population": _("The maximum is below the minimum.")})
    with transaction.atomic():
        profile, _created = PartnerProfile.objects.get_or_create(organisation=organisation)
        profile.is_open = bool(data.get("is_open", True))
        profile.countries = countries
        profile.regions = [r for r in data.get("regions", []) if r]
        profile.min_population = lo or None
        profile.max_population = hi or None
        profile.areas = list(data.get("areas", []))
        profile.text = (data.get("text") or "")[:2000]
        profile.save()
    return profile


# --------------------------------------------------------------------------- ranking
def existing_partner_nodes(recommender: Recommender, organisation: LocalGovernment) -> set[int]:
    """Nodes that are already partners through a recorded agreement of the organisation."""
    try:
        from citydiplomacy.agreements.models import Agreement
    except ImportError:  # pragma: no cover
        return set()
    out = set()
    for lg_id in Agreement.objects.filter(organisation=organisation, partner__isnull=False,
                                          archived_at__isnull=True).values_list("partner_id", flat=True):
        node = recommender.by_lg.get(lg_id)
        if node is not None:
            out.add(node)
    return out


def recommend_for_organisation(organisation: LocalGovernment, *, top: int = 20,
                               emphasis: str | None = None, country: str = "", region: str = "",
                               as_of: dt.date | None = None, include_domestic: bool = False,
                               recommender: Recommender | None = None) -> Ranking | None:
    rec = recommender or get_recommender()
    if rec is None:
        return None
    if emphasis and emphasis not in EMPHASIS:
        raise ValidationError({"emphasis": _("Unknown emphasis “%(name)s”.") % {"name": emphasis}})
    home = rec.node_for(lg_id=organisation.pk, geonameid=organisation.geonameid)
    if home is None:
        raise ValidationError(_("This organisation is not on the map of the recommender "
                                "(no GeoNames id); retrain after correcting its record."))
    home_sub = rec.facts.subregion.get(organisation.country_code, "")
    profiles = {p.organisation_id: p for p in PartnerProfile.objects.filter(is_open=True)}

    def mutual(node: int) -> bool:
        lg = int(rec.world.lg_id[node])
        return profile_matches(profiles.get(lg), country_code=organisation.country_code,
                               subregion=home_sub, population=organisation.population or 0)

    status_of, region_status = policy_for_ranking(as_of)
    return rec.rank(home, top=top, emphasis=emphasis, include_domestic=include_domestic,
                    countries=[country] if country else None, subregion=region,
                    exclude_nodes=existing_partner_nodes(rec, organisation),
                    status_of=status_of, region_status=region_status,
                    profile_match=mutual if profiles else None)


# --------------------------------------------------------------------------- draft agreement
def partner_for_suggestion(recommender: Recommender, node: int) -> LocalGovernment:
    w = recommender.world
    if w.lg_id[node] >= 0:
        return LocalGovernment.objects.get(pk=int(w.lg_id[node]))
    gid = int(w.geonameid[node])
    existing = LocalGovernment.objects.filter(geonameid=gid).first()
    if existing:
        return existing
    return LocalGovernment.objects.create(
        name=str(w.name[node]), kind=GovernmentKind.MUNICIPALITY, country_code=str(w.country[node]),
        geonameid=gid, latitude=float(w.lat[node]), longitude=float(w.lng[node]),
        population=int(w.population[node]) or None)


def add_as_draft(*, actor, geonameid: int | None = None, lg_id: int | None = None):
    """Turn a suggestion into a draft twinning agreement of the actor's organisation."""
    organisation = getattr(actor, "organisation", None)
    if organisation is None or not permissions.can_edit_organisation(actor, organisation.pk):
        raise PermissionDenied(_("You may not create agreements for this organisation."))
    rec = get_recommender()
    if rec is None:
        raise ValidationError(_("The recommender has not been trained yet."))
    node = rec.node_for(lg_id=lg_id, geonameid=geonameid)
    if node is None or not rec.world.candidate[node]:
        raise ValidationError(_("Unknown suggestion."))
    from citydiplomacy.agreements.services import create_agreement

    with transaction.atomic():
        partner = partner_for_suggestion(rec, node)
        return create_agreement(
            actor=actor, organisation=organisation, instrument="twinning",
            title=_("Twinning with %(partner)s") % {"partner": partner.name}, partner=partner,
            source=_("Suggested by the partner recommender"))


def latest_training() -> TrainedModel | None:
    return TrainedModel.objects.first()


