"""The measures a dashboard can show on the map and in rankings: label, unit, who may see it, and the list
behind it (the catalogue or a work list with the same filters)."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jipp.dashboards.domain.figures import YEARLY_FIGURES


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    unit: str
    is_rate: bool = False
    public: bool = True
    # How to open the list behind the figure: (url name, extra GET parameters).
    link: tuple[str, dict] = field(default=("registry:catalogue", {}))

    @property
    def is_yearly(self) -> bool:
        return self.key in YEARLY_FIGURES or self.key in ("participation_rate", "success_rate", "awards")

    def url(self, *, province: str = "", region: str = "", kind: str = "", agency: str = "", year: int = 0) -> str:
        name, extra = self.link
        params = dict(extra)
        if name == "registry:catalogue":
            params.update({"province": province, "regency": region, "agency_type": kind, "agency": agency})
            if self.key == "published_in_year" and year:
                params["year"] = year
        elif name in ("institutionalisation:worklist", "institutionalisation:continuity_missing"):
            params.update({"province": province, "region": region, "agency": agency})
        elif name == "replication:network":
            params.update({"province": province})
        elif name == "evaluation:public_index":
            pass
        query = urlencode({k: v for k, v in params.items() if v})
        return reverse(name) + (f"?{query}" if query else "")


MEASURES: dict[str, Measure] = {
    m.key: m
    for m in (
        Measure("innovations_published", _("Published innovations"), _("innovations")),
        Measure(
            "phase_institutionalisation",
            _("Institutionalised innovations"),
            _("innovations"),
            link=("registry:catalogue", {"phase": "institutionalisation"}),
        ),
        Measure(
            "replicated",
            _("Replicated innovations"),
            _("innovations"),
            link=("registry:catalogue", {"replicated": "yes"}),
        ),
        Measure(
            "with_legal_basis",
            _("Innovations with a legal basis"),
            _("innovations"),
            link=("registry:catalogue", {"legal_basis": "yes"}),
        ),
        Measure("proposals", _("KIPP proposals"), _("proposals"), link=("evaluation:public_index", {})),
        Measure(
            "participation_rate",
            _("KIPP participation"),
            _("per cent of agencies"),
            is_rate=True,
            link=("evaluation:public_index", {}),
        ),
        Measure("awards", _("KIPP awards"), _("awards"), link=("registry:catalogue", {"award": "any"})),
        Measure("replications_in", _("Replications in"), _("replications"), link=("replication:network", {})),
        Measure("replications_out", _("Replications out"), _("replications"), link=("replication:network", {})),
        Measure(
            "success_rate",
            _("Replication success"),
            _("per cent of finished replications"),
            is_rate=True,
            link=("replication:network", {}),
        ),
        Measure(
            "unprotected_share",
            _("Proven but unprotected"),
            _("per cent of proven innovations"),
            is_rate=True,
            public=False,
            link=("institutionalisation:worklist", {}),
        ),
        Measure(
            "continuity_missing",
            _("No continuity answer this year"),
            _("innovations"),
            public=False,
            link=("institutionalisation:continuity_missing", {}),
        ),
    )
}
DEFAULT_MEASURE = "innovations_published"


def visible_measures(full: bool) -> list[Measure]:
    return [m for m in MEASURES.values() if full or m.public]
