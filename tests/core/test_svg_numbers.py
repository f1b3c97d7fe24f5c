"""SVG coordinates must use a decimal point whatever the language (Indonesian writes 374,1)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "jipp"
# A computed value in a numeric attribute, unless that value is piped through `unlocalize`.
NUMERIC_ATTRIBUTE = re.compile(r'\b(viewBox|x1|y1|x2|y2|cx|cy|r|x|y|width|height|dx|dy)="[^"]*{{(?![^}]*\|unlocalize)')


def test_templates_with_computed_svg_numbers_turn_localisation_off():
    offenders = []
    for template in ROOT.rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        for svg in re.findall(r"<svg\b.*?</svg>", text, flags=re.S):
            if NUMERIC_ATTRIBUTE.search(svg) and "{% localize off %}" + svg not in text:
                offenders.append(str(template.relative_to(ROOT)))
    assert offenders == []
