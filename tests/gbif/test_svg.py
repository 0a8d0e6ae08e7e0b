"""The chart drawing on its own (gbif/svg.py): scales, escaping, sizes, well-formed SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from sphinx_gbifnode.gbif.svg import (
    Chart,
    Point,
    draw,
    escape,
    fit,
    label_stride,
    nice_step,
    nice_ticks,
    text_width,
)

SVG = "{http://www.w3.org/2000/svg}"


def years(first: int, last: int, dots: bool = True) -> Chart:
    points = [Point(str(y), 1000 * (y - first + 1), f"{1000 * (y - first + 1):,}", year=y)
              for y in range(first, last + 1)]
    return Chart("line", points, "Records by year", "A line.", "c", str, dots=dots)


@pytest.mark.parametrize(("maximum", "ticks"), [
    (0, [0, 1]),
    (7, [0, 2, 4, 6, 8]),
    (100, [0, 20, 40, 60, 80, 100]),
    (6_123_456, [0, 2_000_000, 4_000_000, 6_000_000, 8_000_000]),
    (45_000_000, [0, 10_000_000, 20_000_000, 30_000_000, 40_000_000, 50_000_000]),
    (23, [0, 5, 10, 15, 20, 25]),
])
def test_ticks_are_round_and_cover_the_largest_value(maximum: int, ticks: list[int]) -> None:
    assert nice_ticks(maximum) == ticks
    assert nice_step(1) == 1  # counts are whole numbers: never a step of 0.2


def test_year_labels_keep_round_years_and_never_overlap() -> None:
    assert label_stride(30, 30, 580) == 5
    assert label_stride(5, 30, 580) == 1
    svg = ET.fromstring(draw(years(1996, 2025)))
    labels = [t.text for g in svg.iter(f"{SVG}g") if g.get("class") == "gbif-chart-labels"
              for t in g]
    assert labels == ["2000", "2005", "2010", "2015", "2020", "2025"]


def test_untrusted_text_cannot_open_a_tag_and_xml_stays_valid() -> None:
    assert escape('<b onclick="x">&</b>') == "&lt;b onclick=&quot;x&quot;&gt;&amp;&lt;/b&gt;"
    assert escape("bell\x07 and \ufffe gone") == "bell and  gone"
    chart = Chart("bar", [Point('<script>alert("x")</script>\x00', 5, "5"),
                          Point("Other", 1, "1", other=True)],
                  "Title <i>", "Desc & more", 'id"><x', str)
    markup = draw(chart)
    assert "<script>" not in markup and "<i>" not in markup and "<x" not in markup
    svg = ET.fromstring(markup)  # well formed despite everything
    assert svg.findtext(f"{SVG}title") == "Title <i>"
    assert [t.text for t in svg.iter(f"{SVG}title")][1].startswith('<script>alert("x")')


def test_long_labels_are_shortened_to_fit() -> None:
    assert fit("Short", 200) == "Short"
    long = "Research Institute for Nature and Forest (INBO)"
    short = fit(long, 120)
    assert short.endswith("…") and text_width(short) <= 120 and long.startswith(short[:-1])
    # Wide characters take a whole em.
    assert text_width("比利时") == pytest.approx(3 * 13)


def test_sizes_stay_small() -> None:
    thirty = draw(years(1996, 2025))
    assert len(thirty.encode("utf-8")) < 8 * 1024
    assert thirty.count("<circle") == 30
    century = draw(years(1900, 2025, dots=False))
    assert "<circle" not in century and len(century.encode("utf-8")) < 8 * 1024


def test_nothing_or_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="nothing to draw"):
        draw(Chart("bar", [], "t", "d", "c", str))
    with pytest.raises(ValueError, match="unknown chart kind 'pie'"):
        draw(Chart("pie", [Point("a", 1, "1")], "t", "d", "c", str))


def test_a_single_value_and_zeros_are_drawn() -> None:
    for kind in ("line", "column", "bar"):
        svg = ET.fromstring(draw(Chart(kind, [Point("2020", 0, "0", year=2020)], "t", "d",
                                       "c", str)))
        assert svg.get("role") == "img"
