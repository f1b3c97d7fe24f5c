"""Documents: the bilingual winner's certificate and the results report (PDF with WeasyPrint, XLSX with openpyxl)."""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.urls import reverse

from jipp.competition.evaluation import selectors, services
from jipp.competition.evaluation.models import Finalist, Objection, Winner
from jipp.competition.models import Edition


def _html_to_pdf(html: str, base_url: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf()


def certificate_pdf(winner: Winner, request=None) -> bytes:
    """A one-page certificate in Indonesian and English, with the decree number and the verification code."""
    rules = services.settings_for(winner.edition)
    finalist = Finalist.objects.select_related("proposal__agency", "proposal__unit", "proposal__group").get(
        pk=winner.finalist_id
    )
    verify_path = reverse("evaluation:verify") + f"?code={winner.verification_code}"
    verify_url = request.build_absolute_uri(verify_path) if request else verify_path
    size = services.tier_size(rules, winner.tier)
    html = render_to_string(
        "evaluation/certificate_pdf.html",
        {
            "winner": winner,
            "proposal": finalist.proposal,
            "rules": rules,
            "title": services.award_title(winner, size),
            "size": size,
            "verify_url": verify_url,
            "qr": qr_data_uri(verify_url),
            "tier_en": _english(winner.get_tier_display),
        },
    )
    return _html_to_pdf(html, request.build_absolute_uri("/") if request else "/")


def qr_data_uri(text: str) -> str:
    """A QR code of `text` as an SVG data URI (segno, pure Python), for the certificate."""
    import segno

    return segno.make(text, error="m").svg_data_uri(scale=4, border=2)


def _english(label) -> str:
    from django.utils import translation

    with translation.override("en"):
        return str(label())


def report_pdf(edition: Edition, request=None) -> bytes:
    html = render_to_string("evaluation/report_pdf.html", _report_context(edition), request=request)
    return _html_to_pdf(html, request.build_absolute_uri("/") if request else "/")


def _report_context(edition: Edition) -> dict:
    rules = services.settings_for(edition)
    rows = selectors.ranking(edition)
    return {
        "edition": edition,
        "rules": rules,
        "statistics": selectors.stage_statistics(edition),
        "evaluators": selectors.progress_by_evaluator(edition),
        "winners": selectors.public_winners(edition),
        "finalists": selectors.public_finalists(edition),
        "top": rows[:100],
        "objections": Objection.objects.filter(edition=edition).select_related("finalist__proposal"),
    }


def _cell(value):
    """A stored decimal as shown (two decimals, declared rounding), for the spreadsheet."""
    from jipp.competition.domain.numbers import shown

    return None if value is None else float(shown(value))


def report_xlsx(edition: Edition) -> bytes:
    from openpyxl import Workbook

    ctx = _report_context(edition)
    book = Workbook()
    sheet = book.active
    sheet.title = "Statistik"
    sheet.append(["Tahap / Stage", "Jumlah / Count"])
    for label, value in ctx["statistics"]:
        sheet.append([str(label), value])
    ranking = book.create_sheet("Peringkat")
    ranking.append(
        ["rank", "proposal_id", "title", "group", "reviews", "rankable", "missing_reviews", *selectors.METHODS,
         "raw_mean", "spread", "disagreement"]
    )  # fmt: skip
    for r in selectors.ranking(edition):
        ranking.append(
            [r["position"], r["id"], r["title"], r["group"], r["n"], r["rankable"], r["missing_reviews"],
             *[_cell(r["scores"].get(m)) for m in selectors.METHODS], _cell(r["points"]), _cell(r["spread"]),
             r["disagreement"]]
        )  # fmt: skip
    finalists = book.create_sheet("Finalis")
    finalists.append(["proposal_id", "title", "agency", "status", "desk", "presentation", "final", "verification"])
    for f in ctx["finalists"]:
        finalists.append(
            [f.proposal_id, f.proposal.title, f.proposal.agency.name, f.status, _cell(f.desk_score),
             _cell(f.presentation_score), _cell(f.final_score),
             {True: "pass", False: "fail"}.get(f.verification_passed, "")]
        )  # fmt: skip
    winners = book.create_sheet("Pemenang")
    winners.append(["tier", "rank", "proposal_id", "title", "agency", "final_score", "verification_code"])
    for w in ctx["winners"]:
        p = w.finalist.proposal
        winners.append(
            [w.get_tier_display(), w.rank, p.pk, p.title, p.agency.name, _cell(w.final_score), w.verification_code]
        )
    evaluators = book.create_sheet("Evaluator")
    evaluators.append(["evaluator", "assigned", "submitted"])
    for e in ctx["evaluators"]:
        evaluators.append([e["username"], e["assigned"], e["submitted"]])
    for ws in book.worksheets:
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.value = services.spreadsheet_safe(cell.value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
