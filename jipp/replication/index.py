"""The replication matcher index: built ahead of time, stored as a file, loaded lazily by the web process.

Where it lives: ``settings.REPLICATION_INDEX_DIR`` if set, else ``MEDIA_ROOT/private/indexes/``, as
``replication-matcher-<db>.pkl`` where ``<db>`` is a short hash of the database name (so a benchmark
database and the development one never share a file). MEDIA_ROOT/private is not served by any URL.

Who writes it: the background task ``tasks.rebuild_matcher_index`` (enqueued after replication or
legal-basis changes) and ``manage.py rebuild_replication_index``. The web process reloads the file
when its modification time changes. The file is written by this project only; unpickling runs code,
so never point this at a file from elsewhere.
"""

import hashlib
import os
import pickle  # nosec B403 # loads only the index file this app wrote itself (module docstring)
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone

from jipp.core.text import stem_tokens
from jipp.regions.models import Region as RegionModel
from jipp.registry.models import Innovation
from jipp.replication.domain.matching import (
    Candidate,
    Continuity,
    KippTier,
    Matcher,
    Region,
    RegionLevel,
    build_matcher,
)

TIERS = {"top45": KippTier.TOP45, "outstanding": KippTier.OUTSTANDING, "top99": KippTier.TOP99}
CONTINUITIES = {c.value: c for c in Continuity}


@dataclass
class MatcherBundle:
    """What the file holds: the matcher, each candidate's agency (to leave out the adopter's own), and when."""

    matcher: Matcher
    agency_of: dict[int, int]
    per_agency: dict[int, int]
    built_at: datetime
    extra: dict = field(default_factory=dict)


def index_path() -> Path:
    base = getattr(settings, "REPLICATION_INDEX_DIR", None) or Path(settings.MEDIA_ROOT) / "private" / "indexes"
    db_name = str(connection.settings_dict.get("NAME", "default"))
    digest = hashlib.sha1(db_name.encode(), usedforsecurity=False).hexdigest()[:10]
    return Path(base) / f"replication-matcher-{digest}.pkl"


def to_domain_region(region) -> Region | None:
    if region is None:
        return None
    area = float(region.area_km2) if region.area_km2 is not None else None
    return Region(
        code=region.code,
        level=RegionLevel(region.level),
        province_code=region.code.split(".")[0],
        population=region.population,
        area_km2=area,
    )


def all_regions() -> list[Region]:
    return [to_domain_region(r) for r in RegionModel.objects.order_by("code")]


def _legal_strengths() -> dict[int, int]:
    """Legal-basis strength per innovation from institutionalisation's precomputed status, when installed.

    Looked up by app label, not imported: replication and institutionalisation are siblings.
    Without it, the registry's flag gives strength 1 (some basis) or 0.
    """
    if not apps.is_installed("jipp.institutionalisation"):
        return {}
    status = apps.get_model("institutionalisation", "ProtectionStatus")
    return dict(status.objects.filter(strength__gt=0).values_list("innovation_id", "strength"))


def build_candidates() -> tuple[list[Candidate], dict[int, int]]:
    """Every published innovation as a matching candidate, and its agency id."""
    regions = {r.pk: to_domain_region(r) for r in RegionModel.objects.all()}
    strengths = _legal_strengths()
    candidates, agency_of = [], {}
    rows = (
        Innovation.objects.filter(status=Innovation.Status.PUBLISHED)
        .order_by("pk")
        .values_list(
            "pk",
            "agency_id",
            "region_id",
            "sector",
            "award_tier",
            "continuity",
            "has_legal_basis",
            "replication_count",
            "search_title",
            "search_body",
        )
    )
    for pk, agency_id, region_id, sector, tier, continuity, has_basis, count, title, body in rows.iterator(5000):
        agency_of[pk] = agency_id
        candidates.append(
            Candidate(
                innovation_id=pk,
                # The registry stores the stemmed text already; stemming a stem returns it (cached).
                text=f"{title} {title} {body}",
                sector=sector or None,
                owner_region=regions.get(region_id),
                kipp_tier=TIERS.get(tier, KippTier.NONE),
                continuity=CONTINUITIES.get(continuity or "unknown", Continuity.UNKNOWN),
                legal_basis_strength=strengths.get(pk, 1 if has_basis else 0),
                successful_replications=count,
            )
        )
    return candidates, agency_of


def build_and_store() -> MatcherBundle:
    """Build the index from the database and write it atomically (a reader never sees half a file)."""
    candidates, agency_of = build_candidates()
    per_agency: dict[int, int] = {}
    for agency_id in agency_of.values():
        per_agency[agency_id] = per_agency.get(agency_id, 0) + 1
    bundle = MatcherBundle(
        matcher=build_matcher(candidates, stem_tokens) if candidates else None,
        agency_of=agency_of,
        per_agency=per_agency,
        built_at=timezone.now(),
    )
    path = index_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        pickle.dump(bundle, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)
    _cache.clear()
    return bundle


_cache: dict = {}
_lock = threading.Lock()


def load() -> MatcherBundle | None:
    """The stored index, loaded once per process and reloaded when the file changes; None if not built yet."""
    path = index_path()
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        return None
    with _lock:
        cached = _cache.get(path)
        if cached and cached[0] == mtime:
            return cached[1]
        with path.open("rb") as handle:
            bundle = pickle.load(handle)  # noqa: S301 (our own file, see the module docstring)  # nosec B301 # our own index file under MEDIA_ROOT, never user input
        _cache.clear()
        _cache[path] = (mtime, bundle)
        return bundle
