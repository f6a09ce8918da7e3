"""Contrast measured, not promised: both themes against WCAG 2.2 AAA.

Text at least 7:1; control edges, card edges and the focus ring at least 3:1
against their surroundings and against the unfocused state.
"""

import re

import pytest

from ui.shell import theme

THEMES = sorted(theme.THEMES)


def test_contrast_formula_matches_wcag_reference_values():
    assert theme.contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert theme.contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    # WebAIM's contrast checker gives 4.54:1 for #767676 on white.
    assert theme.contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert theme.contrast_ratio("#ffffff", "#767676") == theme.contrast_ratio("#767676", "#ffffff")


@pytest.mark.parametrize("name", THEMES)
def test_every_text_pair_is_at_least_7_to_1(name):
    colors = theme.THEMES[name]
    too_low = {
        what: round(theme.contrast_ratio(colors[fg], colors[bg]), 2)
        for fg, bg, what in theme.TEXT_PAIRS
        if theme.contrast_ratio(colors[fg], colors[bg]) < theme.MIN_TEXT_CONTRAST
    }
    assert too_low == {}


@pytest.mark.parametrize("name", THEMES)
def test_edges_focus_and_markers_are_at_least_3_to_1(name):
    colors = theme.THEMES[name]
    too_low = {
        what: round(theme.contrast_ratio(colors[a], colors[b]), 2)
        for a, b, what in theme.NON_TEXT_PAIRS
        if theme.contrast_ratio(colors[a], colors[b]) < theme.MIN_NON_TEXT_CONTRAST
    }
    assert too_low == {}


def test_both_themes_have_the_same_colour_names_and_every_colour_is_measured():
    assert set(theme.COLORS) == set(theme.HIGH_CONTRAST)
    measured = {k for fg, bg, _ in theme.TEXT_PAIRS + theme.NON_TEXT_PAIRS for k in (fg, bg)}
    assert set(theme.COLORS) - measured == set()


@pytest.mark.parametrize("high_contrast", [False, True])
def test_style_sheet_uses_only_measured_colours(high_contrast):
    """A colour typed straight into the style sheet would escape the contrast tests."""
    sheet = theme.style_sheet(100, high_contrast)
    used = {c.lower() for c in re.findall(r"#[0-9a-fA-F]{6}\b", sheet)}
    palette = {
        c.lower() for c in theme.THEMES["high_contrast" if high_contrast else "normal"].values()
    }
    assert used and used <= palette
    assert not re.search(r"#[0-9a-fA-F]{3}\b", sheet)


def test_high_contrast_really_is_higher():
    def lowest(colors, pairs):
        return min(theme.contrast_ratio(colors[a], colors[b]) for a, b, _ in pairs)

    assert lowest(theme.HIGH_CONTRAST, theme.TEXT_PAIRS) >= lowest(theme.COLORS, theme.TEXT_PAIRS)
    assert theme.contrast_ratio(theme.HIGH_CONTRAST["text"], theme.HIGH_CONTRAST["window"]) == 21.0


def lowest_figures():
    """The figures in the report: the lowest ratio per theme, text and non-text."""
    return {
        name: (
            min(theme.contrast_ratio(c[a], c[b]) for a, b, _ in theme.TEXT_PAIRS),
            min(theme.contrast_ratio(c[a], c[b]) for a, b, _ in theme.NON_TEXT_PAIRS),
        )
        for name, c in theme.THEMES.items()
    }


def test_lowest_figures_are_reported():
    figures = lowest_figures()
    for text, non_text in figures.values():
        assert text >= 7.0 and non_text >= 3.0
