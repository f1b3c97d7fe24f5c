"""Where an edition's evaluation pages live, and every link between them.

KIPP's (national) pages are under `/kipp/evaluation/<year>/...` (namespace `evaluation`). A provincial
edition runs on the same views and templates, mounted by the app that organises it (jipp.hubs mounts
them under `/hubs/<hub>/competitions/<edition>/...` as `hubs:edition_<name>`): that app resolves and
checks the edition itself and hands the views a `Place` on `request.edition_place`. Every redirect and
link of these views and templates is built by `Place.url` (templates: `{% edition_url 'ranking' %}`), so
a provincial edition's pages never lead into KIPP's and KIPP's never into a hub's.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.shortcuts import get_object_or_404
from django.urls import reverse

from jipp.competition.models import Edition


@dataclass(frozen=True)
class Place:
    edition: Edition
    namespace: str = "evaluation"
    prefix: str = ""
    args: tuple = ()
    # Where the pages' navigation leads back to (the organiser's page of the edition), if anywhere.
    home_url: str = ""
    home_label: str = ""

    def url(self, name: str, *args) -> str:
        """The URL of page `name` (an `evaluation:` name such as "ranking" or "explain") of this edition."""
        return reverse(f"{self.namespace}:{self.prefix}{name}", args=[*self.args, *args])


def national(edition: Edition) -> Place:
    return Place(edition=edition, args=(edition.year,))


def place_for(request, year: int | None) -> Place:
    """The place of the page asked for: set by the mounting app, else KIPP's edition of `year` (404)."""
    place = getattr(request, "edition_place", None)
    if place is None:
        place = request.edition_place = national(get_object_or_404(Edition, year=year))
    return place
