"""The dashboards' filters (year, measure, replication arcs), parsed once for the pages and the API.
A value that does not exist gives a message and a sensible default, never an empty chart."""

from __future__ import annotations

from dataclasses import dataclass, field

from jipp.dashboards import phrases, selectors
from jipp.dashboards.measures import DEFAULT_MEASURE, MEASURES, Measure, visible_measures


@dataclass
class DashboardFilters:
    year: int = 0
    measure: Measure = field(default_factory=lambda: MEASURES[DEFAULT_MEASURE])
    arcs: bool = False
    errors: list[str] = field(default_factory=list)
    api_errors: dict[str, str] = field(default_factory=dict)
    years: list[int] = field(default_factory=list)

    def query(self, **overrides) -> str:
        from urllib.parse import urlencode

        params = {"year": self.year or "", "measure": self.measure.key, "arcs": int(self.arcs)}
        params.update(overrides)
        return urlencode({k: v for k, v in params.items() if v not in ("", 0, None)})


def parse(params, *, full: bool) -> DashboardFilters:
    f = DashboardFilters(years=selectors.data_years())
    raw_year = (params.get("year") or "").strip()
    if raw_year:
        try:
            year = int(raw_year)
        except ValueError:
            f.errors.append(phrases.BAD_YEAR % {"value": raw_year[:20]})
            f.api_errors["year"] = phrases.API_BAD_YEAR % {"value": raw_year[:20]}
        else:
            if year in f.years:
                f.year = year
            else:
                f.errors.append(phrases.NO_DATA_YEAR % {"year": year})
                known = ", ".join(str(y) for y in f.years) or "—"
                f.api_errors["year"] = phrases.API_NO_DATA_YEAR % {"year": year, "known": known}
    raw_measure = (params.get("measure") or "").strip()
    if raw_measure:
        allowed = {m.key: m for m in visible_measures(full)}
        if raw_measure in allowed:
            f.measure = allowed[raw_measure]
        else:
            f.errors.append(phrases.UNKNOWN_MEASURE % {"value": raw_measure[:40]})
            f.api_errors["measure"] = phrases.API_UNKNOWN_MEASURE % {
                "value": raw_measure[:40],
                "known": ", ".join(allowed),
            }
    f.arcs = params.get("arcs") in ("1", "on", "true")
    return f
