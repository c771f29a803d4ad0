"""PDFs fall back to a CJK font for Chinese, Japanese and Korean names when one is installed."""

import pytest
from fpdf import FPDF

from quietdesk.legal import pdf

pytestmark = pytest.mark.nodb


def test_without_a_cjk_font_a_pdf_is_still_made(monkeypatch):
    monkeypatch.setattr(pdf, "CJK_FONTS", ((pdf.FONT_DIR / "no-such-font.ttc", None),))
    assert pdf.cjk_font() is None
    assert pdf.render([("h1", "Records"), ("p", "王秀英")], title="t", footer="f").startswith(b"%PDF")


def test_an_installed_cjk_font_is_the_fallback(monkeypatch):
    # A stand-in for NotoSansCJK: any installed TrueType font shows the fallback is wired.
    stand_in = pdf.FONT_DIR / "DejaVuSansMono.ttf"
    monkeypatch.setattr(pdf, "CJK_FONTS", ((pdf.FONT_DIR / "no-such-font.ttc", None), (stand_in, None)))
    assert pdf.cjk_font() == (stand_in, None)
    seen = []
    real = FPDF.set_fallback_fonts

    def spy(self, fonts, exact_match=True):
        seen.append((list(fonts), exact_match))
        return real(self, fonts, exact_match=exact_match)

    monkeypatch.setattr(FPDF, "set_fallback_fonts", spy)
    assert pdf.render([("p", "Given1 王秀英")], title="t", footer="f").startswith(b"%PDF")
    assert seen == [([pdf.CJK], False)]
