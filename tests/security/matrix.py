"""The authorization matrix, declared: every URL of the site and the API x who asks -> what happens.

`ROUTES` names every URL pattern (as the resolver spells it, API router patterns included) with what
an anonymous visitor gets:
  PUBLIC   - served to anyone (200, or 404 for an object that does not exist, 405 for a wrong method);
  REFUSED  - the login page, 401, 403 or 404: nothing is shown;
  FORM     - a public form meant for anonymous visitors: a POST may write (login, objections, ...).
Every other URL must write nothing for an anonymous POST (checked through the audit log).

`OBJECT_CASES` are object-level rows: a URL on a real object x each role situation -> expected status.

test_matrix.py walks the URL resolver: a URL without an entry fails, naming it and the line to add.
To add entries cheaply: `.venv/bin/python -m tests.security.matrix` prints a stub line for each URL
missing here (with the anonymous outcome it observes: check it before pasting).
"""

from __future__ import annotations

import re
import uuid

PUBLIC = "public"
REFUSED = "refused"
FORM = "form"

ROUTES: dict[str, str] = {
    # --- core, regions, accounts ---------------------------------------------------------------
    "healthz": PUBLIC,
    "": PUBLIC,
    "about/data/": PUBLIC,
    "guide/": PUBLIC,
    "guide/<slug:slug>/": PUBLIC,
    "audit/": REFUSED,
    "reauth/": REFUSED,
    "regions/": PUBLIC,
    "regions/<str:code>/": PUBLIC,
    "agencies/": PUBLIC,
    "agencies/new/": REFUSED,
    "agencies/<slug:slug>/": PUBLIC,
    "agencies/aliases/": REFUSED,
    "agencies/aliases/<int:pk>/delete/": REFUSED,
    "innovations/<int:pk>/unit/": REFUSED,
    "awards/": PUBLIC,
    "awards/<int:year>/": PUBLIC,
    "hubs/<int:pk>/status/": REFUSED,
    "accounts/login/": FORM,
    "accounts/logout/": FORM,
    "accounts/password/change/": REFUSED,
    "accounts/password/reset/": FORM,
    "accounts/password/reset/sent/": PUBLIC,
    "accounts/password/reset/<uidb64>/<token>/": FORM,
    "accounts/tokens/": REFUSED,
    "accounts/users/": REFUSED,
    "accounts/users/new/": REFUSED,
    "accounts/users/<int:pk>/": REFUSED,
    "accounts/users/<int:pk>/toggle-active/": REFUSED,
    "accounts/users/<int:pk>/personal-data/": REFUSED,
    "i18n/setlang/": FORM,
    "jsi18n/": PUBLIC,
    # --- registry ----------------------------------------------------------------------------------
    "innovations/": PUBLIC,
    "innovations/manage/": REFUSED,
    "innovations/new/": REFUSED,
    "innovations/<int:pk>/": PUBLIC,
    "innovations/<int:pk>/edit/": REFUSED,
    "innovations/<int:pk>/status/": REFUSED,
    "innovations/<int:pk>/continuity/": REFUSED,
    "agencies/<slug:slug>/innovations/": PUBLIC,
    "regions/<str:code>/innovations/": PUBLIC,
    "innovations/import/": REFUSED,
    r"^innovations/import/template\.(?P<fmt>csv|xlsx)$": REFUSED,
    "^innovations/import/(?P<token>[0-9a-f]{32})/$": REFUSED,
    r"^innovations/export\.(?P<fmt>csv|xlsx|json)$": PUBLIC,
    "innovations/<int:pk>/attachments/": REFUSED,
    "attachments/<int:pk>/": PUBLIC,
    "attachments/<int:pk>/image/": PUBLIC,
    "attachments/<int:pk>/delete/": REFUSED,
    # --- KIPP evaluation --------------------------------------------------------------------------
    "kipp/evaluation/": REFUSED,
    "kipp/evaluation/reviews/": REFUSED,
    "kipp/evaluation/reviews/<int:pk>/": REFUSED,
    "kipp/evaluation/reviews/<int:pk>/autosave/": REFUSED,
    "kipp/evaluation/reviews/<int:pk>/attachments/<int:index>/": REFUSED,
    "kipp/evaluation/panel/": REFUSED,
    "kipp/evaluation/panel/<int:pk>/": REFUSED,
    "kipp/evaluation/<int:year>/declarations/": REFUSED,
    "kipp/evaluation/editions/<int:edition_pk>/declarations/": REFUSED,
    "kipp/evaluation/<int:year>/": REFUSED,
    "kipp/evaluation/<int:year>/team/": REFUSED,
    "kipp/evaluation/<int:year>/assignments/": REFUSED,
    "kipp/evaluation/<int:year>/assignments/run/": REFUSED,
    "kipp/evaluation/<int:year>/assignments/run/status/": REFUSED,
    "kipp/evaluation/<int:year>/assignments/<int:pk>/reassign/": REFUSED,
    "kipp/evaluation/<int:year>/assignments.csv": REFUSED,
    "kipp/evaluation/<int:year>/assignments/import/": REFUSED,
    "kipp/evaluation/<int:year>/assignments/reminders/": REFUSED,
    "kipp/evaluation/<int:year>/reviews/<int:pk>/reopen/": REFUSED,
    "kipp/evaluation/<int:year>/ranking/": REFUSED,
    "kipp/evaluation/<int:year>/ranking/<int:pk>/": REFUSED,
    "kipp/evaluation/<int:year>/ranking/<int:pk>/extra-review/": REFUSED,
    "kipp/evaluation/<int:year>/nomination/": REFUSED,
    "kipp/evaluation/<int:year>/scrutiny/": REFUSED,
    "kipp/evaluation/<int:year>/objections/<int:pk>/file/": REFUSED,
    "kipp/evaluation/<int:year>/presentations/": REFUSED,
    "kipp/evaluation/<int:year>/verification/": REFUSED,
    "kipp/evaluation/<int:year>/results/": REFUSED,
    "kipp/evaluation/<int:year>/report.<str:fmt>": REFUSED,
    "kipp/evaluation/public/": PUBLIC,
    "kipp/evaluation/<int:year>/finalists/": FORM,
    "kipp/evaluation/<int:year>/winners/": PUBLIC,
    "kipp/evaluation/certificates/<str:code>.pdf": PUBLIC,
    "kipp/evaluation/verify/": PUBLIC,
    # --- KIPP submission ----------------------------------------------------------------------------
    "kipp/": PUBLIC,
    "kipp/editions/<int:year>/": PUBLIC,
    "kipp/editions/<int:year>/copy/": REFUSED,
    "kipp/editions/<int:year>/screening/": REFUSED,
    "kipp/editions/<int:year>/screening/progress/": REFUSED,
    "kipp/editions/<int:year>/screening/start/": REFUSED,
    "kipp/editions/<int:year>/screening/pass/": REFUSED,
    "kipp/editions/<int:year>/export.<str:fmt>": REFUSED,
    "kipp/proposals/": REFUSED,
    "kipp/proposals/new/": REFUSED,
    "kipp/proposals/<int:pk>/": REFUSED,
    "kipp/proposals/<int:pk>/edit/": REFUSED,
    "kipp/proposals/<int:pk>/autosave/": REFUSED,
    "kipp/proposals/<int:pk>/attachments/": REFUSED,
    "kipp/proposals/<int:pk>/attachments/<int:attachment_pk>/": REFUSED,
    "kipp/proposals/<int:pk>/attachments/<int:attachment_pk>/delete/": REFUSED,
    "kipp/proposals/<int:pk>/submit/": REFUSED,
    "kipp/proposals/<int:pk>/forward/": REFUSED,
    "kipp/proposals/<int:pk>/return/": REFUSED,
    "kipp/proposals/<int:pk>/decide/": REFUSED,
    "kipp/proposals/<int:pk>/pdf/": REFUSED,
    "kipp/flags/<int:pk>/": REFUSED,
    "kipp/notifications/": PUBLIC,  # 301 to /notifications/?area=kipp, which asks for a login
    # --- replication, institutionalisation -----------------------------------------------------------
    "replication/": REFUSED,
    "replication/find/": PUBLIC,
    "replication/find/rebuild/": REFUSED,
    "replication/request/<int:innovation_pk>/": REFUSED,
    "replication/stories/": PUBLIC,
    "replication/network/": PUBLIC,
    "replication/counts/": PUBLIC,
    "replication/documents/<int:pk>/": REFUSED,
    "replication/<uuid:public_id>/": REFUSED,
    "institutionalisation/unprotected/": REFUSED,
    "institutionalisation/unprotected/share/": PUBLIC,
    "institutionalisation/continuity/": REFUSED,
    "institutionalisation/continuity/request/": REFUSED,
    "institutionalisation/innovations/<int:pk>/": PUBLIC,
    "institutionalisation/legal-bases/<int:pk>/document/": REFUSED,
    # --- dashboards ----------------------------------------------------------------------------------
    "dashboards/": PUBLIC,
    "dashboards/provinces/<str:code>/": PUBLIC,
    "dashboards/agency/": REFUSED,
    "dashboards/agencies/<slug:slug>/": REFUSED,
    "dashboards/hubs/": REFUSED,
    "dashboards/hubs/<int:pk>/": REFUSED,
    "dashboards/open-data/": PUBLIC,
    "dashboards/reports/": REFUSED,
    "dashboards/reports/new/": REFUSED,
    "dashboards/reports/<uuid:public_id>/": REFUSED,
    "dashboards/reports/<uuid:public_id>/report.<str:fmt>": REFUSED,
    "api/v1/^dashboards/national/$": PUBLIC,
    "api/v1/^dashboards/provinces/$": PUBLIC,
    "api/v1/^dashboards/regions/$": PUBLIC,
    "api/v1/^dashboards/kinds/$": PUBLIC,
    "api/v1/^dashboards/years/$": PUBLIC,
    "api/v1/^dashboards/agencies/(?P<slug>[-\\w]+)/$": REFUSED,
    "api/v1/^dashboards/hubs/(?P<hub>\\d+)/$": REFUSED,
    # --- API ---------------------------------------------------------------------------------------
    "api/v1/": PUBLIC,
    "api/schema/": PUBLIC,
    "api/docs/": PUBLIC,
    "api/v1/^regions/$": PUBLIC,
    "api/v1/^regions/(?P<code>[0-9.]+)/$": PUBLIC,
    "api/v1/^agencies/$": PUBLIC,
    "api/v1/^agencies/(?P<slug>[^/.]+)/$": PUBLIC,
    "api/v1/^units/$": PUBLIC,
    "api/v1/^units/(?P<pk>[^/.]+)/$": PUBLIC,
    "api/v1/^users/$": REFUSED,
    "api/v1/^users/(?P<pk>[^/.]+)/$": REFUSED,
    "api/v1/^innovations/$": PUBLIC,
    "api/v1/^innovations/facets/$": PUBLIC,
    "api/v1/^innovations/(?P<pk>[^/.]+)/$": PUBLIC,
    "api/v1/^innovations/(?P<pk>[^/.]+)/continuity-updates/$": PUBLIC,
    "api/v1/^innovations/(?P<pk>[^/.]+)/publish/$": REFUSED,
    "api/v1/^innovations/(?P<pk>[^/.]+)/withdraw/$": REFUSED,
    "api/v1/^categories/$": PUBLIC,
    "api/v1/^categories/(?P<code>[^/.]+)/$": PUBLIC,
    "api/v1/^sdgs/$": PUBLIC,
    "api/v1/^sdgs/(?P<number>[^/.]+)/$": PUBLIC,
    "api/v1/^kipp/editions/$": PUBLIC,
    "api/v1/^kipp/editions/(?P<year>[0-9]{4})/$": PUBLIC,
    "api/v1/^kipp/my-proposals/$": REFUSED,
    "api/v1/^kipp/my-proposals/(?P<pk>[^/.]+)/$": REFUSED,
    "api/v1/^kipp/screening/$": REFUSED,
    "api/v1/^kipp/screening/(?P<pk>[^/.]+)/$": REFUSED,
    "api/v1/^kipp/assignments/$": REFUSED,
    "api/v1/^kipp/assignments/(?P<pk>[^/.]+)/$": REFUSED,
    "api/v1/^kipp/reviews/$": REFUSED,
    "api/v1/^kipp/reviews/(?P<pk>[^/.]+)/$": REFUSED,
    "api/v1/^kipp/my-assignments/$": REFUSED,
    "api/v1/^kipp/my-assignments/(?P<pk>[^/.]+)/$": REFUSED,
    "api/v1/^kipp/rankings/(?P<pk>[^/.]+)/$": PUBLIC,
    "api/v1/^kipp/results/$": PUBLIC,
    "api/v1/^kipp/results/(?P<pk>[^/.]+)/$": PUBLIC,
    "api/v1/^replications/$": PUBLIC,
    "api/v1/^replications/(?P<public_id>[^/.]+)/$": PUBLIC,
    "api/v1/^legal-bases/$": PUBLIC,
    "api/v1/^legal-bases/(?P<pk>[^/.]+)/$": PUBLIC,
    "api/v1/^continuity-updates/$": PUBLIC,
    "api/v1/^continuity-updates/(?P<pk>[^/.]+)/$": PUBLIC,
    "api/v1/^unprotected/$": PUBLIC,
    "api/v1/^unprotected/(?P<innovation>[^/.]+)/$": PUBLIC,
    # --- added at the merge of home, notifications, search, hubs, dashboards (anonymous GET observed
    #     and reviewed: list pages public, management pages refused) ---------------------------------
    "home/": REFUSED,
    "notifications/": REFUSED,
    "notifications/read/": REFUSED,
    "notifications/preferences/": REFUSED,
    "notifications/<int:pk>/": REFUSED,
    "search/agencies/": PUBLIC,
    "search/units/": PUBLIC,
    "search/regions/": PUBLIC,
    "accounts/users/search/": REFUSED,
    "innovations/search/": PUBLIC,
    "innovations/revisions/": REFUSED,
    "innovations/revisions/<int:pk>/": REFUSED,
    "innovations/revisions/<int:pk>/approve/": REFUSED,
    "innovations/revisions/<int:pk>/reject/": REFUSED,
    "^innovations/import/(?P<token>[0-9a-f]{32})/decide/$": REFUSED,
    "^innovations/import/(?P<token>[0-9a-f]{32})/run/$": REFUSED,
    "^innovations/import/(?P<token>[0-9a-f]{32})/publish/$": REFUSED,
    "^innovations/import/(?P<token>[0-9a-f]{32})/report\\.csv$": REFUSED,
    "attachments/<int:pk>/thumbnail/": PUBLIC,
    "kipp/evaluation/<int:year>/method/": PUBLIC,
    "hubs/": PUBLIC,
    "hubs/cohorts/": PUBLIC,
    "hubs/mine/": REFUSED,
    "hubs/maturity/": REFUSED,
    "hubs/rounds/": REFUSED,
    "hubs/rounds/new/": REFUSED,
    "hubs/rounds/<int:pk>/": REFUSED,
    "hubs/rounds/<int:pk>/weights/": REFUSED,
    "hubs/rounds/<int:pk>/candidates/add/": REFUSED,
    "hubs/rounds/<int:pk>/candidates/<int:candidate_pk>/": REFUSED,
    "hubs/rounds/<int:pk>/open/": REFUSED,
    "hubs/rounds/<int:pk>/declare/": REFUSED,
    "hubs/rounds/<int:pk>/decide/": REFUSED,
    "hubs/<int:pk>/": PUBLIC,
    "hubs/<int:pk>/work/": REFUSED,
    "hubs/<int:pk>/spokes/": REFUSED,
    "hubs/<int:pk>/spokes/<int:spoke_pk>/": REFUSED,
    "hubs/<int:pk>/spokes/<int:spoke_pk>/end/": REFUSED,
    "hubs/<int:pk>/plans/new/": REFUSED,
    "hubs/<int:pk>/plans/<int:year>/": REFUSED,
    "hubs/<int:pk>/activities/": PUBLIC,
    "hubs/<int:pk>/activities/new/": REFUSED,
    "hubs/<int:pk>/activities/<int:activity_pk>/edit/": REFUSED,
    "hubs/<int:pk>/maturity/<int:year>/": REFUSED,
    "hubs/<int:pk>/competitions/": REFUSED,
    "hubs/<int:pk>/competitions/entries/<int:proposal_pk>/carry/": REFUSED,
    "hubs/<int:pk>/competitions/<int:edition_pk>/": REFUSED,
    "hubs/<int:pk>/competitions/<int:edition_pk>/screen/": REFUSED,
    "hubs/<int:pk>/competitions/<int:edition_pk>/assign/": REFUSED,
    "hubs/<int:pk>/competitions/<int:edition_pk>/entries/<int:proposal_pk>/decide/": REFUSED,
    # A hub's provincial edition: KIPP's evaluation pages mounted under the hub (jipp/hubs/edition_pages.py).
    "hubs/<int:hub_pk>/competitions/<int:edition_pk>/evaluation/": REFUSED,
    "hubs/<int:hub_pk>/competitions/<int:edition_pk>/team/": REFUSED,
    "hubs/<int:hub_pk>/competitions/<int:edition_pk>/assignments/": REFUSED,
    "hubs/<int:hub_pk>/competitions/<int:edition_pk>/assignments/run/": REFUSED,
    "hubs/<int:hub_pk>/competitions/<int:edition_pk>/assignments/run/status/": REFUSED,
    "hubs/<int:hub_pk>/competitions/<int:edition_pk>/assignments/<int:pk>/reassign/": REFUSED,
    "hubs/<int:hub_pk>/competitions/<int:edition_pk>/assignments.csv": REFUSED,
    "hubs/<int:hub_pk>/competitions/<int:edition_pk>/assignments/import/": REFUSED,
    "hubs/<int:hub_pk>/competitions/<int:edition_pk>/assignments/reminders/": REFUSED,
    "hubs/<int:hub_pk>/competitions/<int:edition_pk>/reviews/<int:pk>/reopen/": REFUSED,
    "hubs/<int:hub_pk>/competitions/<int:edition_pk>/ranking/": REFUSED,
    "hubs/<int:hub_pk>/competitions/<int:edition_pk>/ranking/<int:pk>/": REFUSED,
    "hubs/<int:hub_pk>/competitions/<int:edition_pk>/ranking/<int:pk>/extra-review/": REFUSED,
    "hubs/<int:hub_pk>/competitions/<int:edition_pk>/nomination/": REFUSED,
    "hubs/<int:hub_pk>/competitions/<int:edition_pk>/scrutiny/": REFUSED,
    "hubs/<int:hub_pk>/competitions/<int:edition_pk>/objections/<int:pk>/file/": REFUSED,
    "hubs/<int:hub_pk>/competitions/<int:edition_pk>/presentations/": REFUSED,
    "hubs/<int:hub_pk>/competitions/<int:edition_pk>/verification/": REFUSED,
    "hubs/<int:hub_pk>/competitions/<int:edition_pk>/results/": REFUSED,
    "hubs/<int:hub_pk>/competitions/<int:edition_pk>/report.<str:fmt>": REFUSED,
    "hubs/<int:hub_pk>/competitions/<int:edition_pk>/finalists/": FORM,
    "hubs/<int:hub_pk>/competitions/<int:edition_pk>/winners/": PUBLIC,
    "hubs/<int:hub_pk>/competitions/<int:edition_pk>/method/": PUBLIC,
    "api/v1/^awards/$": PUBLIC,
    "api/v1/^awards/(?P<pk>[^/.]+)/$": PUBLIC,
    "api/v1/^award-tiers/$": PUBLIC,
    "api/v1/^award-tiers/(?P<pk>[^/.]+)/$": PUBLIC,
    "api/v1/^hubs/$": PUBLIC,
    "api/v1/^hubs/(?P<pk>[^/.]+)/$": PUBLIC,
    "api/v1/^hub-cohorts/$": PUBLIC,
    "api/v1/^hub-cohorts/(?P<pk>[^/.]+)/$": PUBLIC,
    "api/v1/^hub-spokes/$": PUBLIC,
    "api/v1/^hub-spokes/(?P<pk>[^/.]+)/$": PUBLIC,
    "api/v1/^hub-activities/$": PUBLIC,
    "api/v1/^hub-activities/(?P<pk>[^/.]+)/$": PUBLIC,
    "api/v1/^hub-plans/$": REFUSED,
    "api/v1/^hub-plans/(?P<pk>[^/.]+)/$": REFUSED,
    "api/v1/^hub-maturity/$": REFUSED,
    "api/v1/^hub-maturity/(?P<pk>[^/.]+)/$": REFUSED,
    "api/v1/^hub-rounds/$": REFUSED,
    "api/v1/^hub-rounds/(?P<pk>[^/.]+)/$": REFUSED,
    "api/v1/^hub-rounds/(?P<pk>[^/.]+)/ranking/$": REFUSED,
}

# Role situations of the object-level rows; hubs rows are added when the hubs app's pages land.
# "hub_admin" and "mentor" carry agency A on their account but belong to no hub; "hub_admin_x"/"mentor_x"
# are hub X's people (hub X is agency A's hub), "hub_admin_y"/"mentor_y" hub Y's.
ROLES = ("anonymous", "upp_a", "upp_b", "admin_lokal_a", "admin_lokal_b", "evaluator", "panelist", "hub_admin",
         "mentor", "hub_admin_x", "mentor_x", "hub_admin_y", "mentor_y", "ministry")  # fmt: skip

# Object-level rows: (URL name or a path with "{}", object key, {role: expected GET status}). Objects are
# built by the test's `world` fixture: "draft_a" is an unsent draft of agency A's unit; "forwarded_a" a
# proposal of A sent on; "agency_a" agency A (its slug goes in the URL); "hub_x" hub X.
OBJECT_CASES: list[tuple[str, str, dict[str, int]]] = [
    ("competition:proposal_detail", "draft_a",
     {"anonymous": 302, "upp_a": 200, "upp_b": 404, "admin_lokal_a": 200, "admin_lokal_b": 404, "evaluator": 404,
      "panelist": 404, "hub_admin": 404, "mentor": 404, "ministry": 200}),
    ("competition:proposal_edit", "draft_a",
     {"anonymous": 302, "upp_a": 200, "upp_b": 404, "admin_lokal_a": 302, "admin_lokal_b": 404, "evaluator": 404,
      "panelist": 404, "hub_admin": 404, "mentor": 404, "ministry": 302}),
    ("competition:proposal_pdf", "draft_a",
     {"anonymous": 302, "upp_b": 404, "admin_lokal_b": 404, "evaluator": 404, "hub_admin": 404, "mentor": 404}),
    ("competition:proposal_detail", "forwarded_a",
     {"anonymous": 302, "upp_a": 200, "upp_b": 404, "admin_lokal_a": 200, "admin_lokal_b": 404, "hub_admin": 404,
      "mentor": 404, "ministry": 200}),
    ("accounts:user_detail", "upp_a_account",
     {"anonymous": 302, "upp_a": 404, "upp_b": 404, "admin_lokal_a": 200, "admin_lokal_b": 404, "ministry": 200}),
    # Dashboards of one agency and of one hub, page and API: the agency's own people and the Ministry;
    # hub X's own people and the Ministry. Nobody else, whatever agency their account carries.
    ("dashboards:agency", "agency_a",
     {"anonymous": 302, "upp_a": 200, "upp_b": 403, "admin_lokal_a": 200, "admin_lokal_b": 403, "evaluator": 403,
      "panelist": 403, "hub_admin": 403, "mentor": 403, "hub_admin_x": 403, "mentor_x": 403, "ministry": 200}),
    ("/api/v1/dashboards/agencies/{}/", "agency_a",
     {"anonymous": 403, "upp_a": 200, "upp_b": 403, "admin_lokal_a": 200, "admin_lokal_b": 403, "evaluator": 403,
      "panelist": 403, "hub_admin": 403, "mentor": 403, "hub_admin_x": 403, "mentor_x": 403, "ministry": 200}),
    ("dashboards:hub", "hub_x",
     {"anonymous": 302, "upp_a": 403, "admin_lokal_a": 403, "evaluator": 403, "hub_admin": 403, "mentor": 403,
      "hub_admin_x": 200, "mentor_x": 200, "hub_admin_y": 403, "mentor_y": 403, "ministry": 200}),
    ("/api/v1/dashboards/hubs/{}/", "hub_x",
     {"anonymous": 404, "upp_a": 404, "admin_lokal_a": 404, "evaluator": 404, "hub_admin": 404, "mentor": 404,
      "hub_admin_x": 200, "mentor_x": 200, "hub_admin_y": 404, "mentor_y": 404, "ministry": 200}),
]  # fmt: skip

_SAMPLE = {"int": "999999", "str": "99", "slug": "no-such-thing", "uuid": str(uuid.UUID(int=0))}


def sample_path(route: str) -> str:
    """A concrete path for `route` with values that name no existing object."""
    path = route

    def group(m):
        name, pattern = m.group(1), m.group(2)
        if name == "fmt":
            return "csv"
        if "0-9a-f" in pattern:
            return "0" * 32
        if "0-9]{4}" in pattern:
            return "2099"
        if "0-9." in pattern:
            return "99"
        return "999999"

    path = re.sub(r"\(\?P<(\w+)>((?:[^()]|\([^()]*\))*)\)", group, path)
    path = re.sub(
        r"<(?:(\w+):)?(\w+)>", lambda m: "csv" if m.group(2) == "fmt" else _SAMPLE.get(m.group(1) or "str", "x"), path
    )
    path = path.replace("^", "").replace("$", "").replace("\\.", ".")
    return "/" + path


def all_routes() -> list[str]:
    """Every URL pattern of the site (the Django admin and DRF's format-suffix twins left out)."""
    from django.urls import URLResolver, get_resolver

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            else:
                yield prefix + str(p.pattern)

    return [
        r for r in walk(get_resolver().url_patterns)
        if not r.startswith("admin/") and "(?P<format>" not in r and "<drf_format_suffix:format>" not in r
    ]  # fmt: skip


def missing_routes() -> list[str]:
    return [r for r in all_routes() if r not in ROUTES]


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    for route in missing_routes():
        print(f"    {route!r}: REFUSED,  # check: GET {sample_path(route)} as anonymous")
