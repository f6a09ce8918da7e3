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


# -- focus rings in the style sheet (issue 10: a black ring on dark blue) -----------------
def sheet_rules(sheet: str) -> list[tuple[list[str], dict[str, str]]]:
    """The style sheet as (selectors, declarations) pairs."""
    rules = []
    for head, body in re.findall(r"([^{}]+)\{([^{}]*)\}", sheet):
        selectors = [s.strip() for s in head.split(",") if s.strip()]
        declarations = {}
        for part in body.split(";"):
            if ":" in part:
                key, value = part.split(":", 1)
                declarations[key.strip()] = value.strip()
        rules.append((selectors, declarations))
    return rules


def border_colour(declarations: dict[str, str]) -> str | None:
    if "border-color" in declarations:
        return declarations["border-color"].lower()
    found = re.search(r"#[0-9a-fA-F]{6}", declarations.get("border", ""))
    return found.group(0).lower() if found else None


def border_width(declarations: dict[str, str]) -> int | None:
    found = re.search(r"(\d+)px", declarations.get("border", ""))
    return int(found.group(1)) if found else None


def plain(selector: str) -> str:
    """``QPushButton[role="secondary"]:focus`` -> ``QPushButton``; keeps ``::tab``."""
    return re.sub(r"(?<!:):(?!:)[a-z-]+|\[[^\]]*\]", "", selector)


def focus_rings(high_contrast: bool):
    """Per ':focus' selector: the ring colour and width, the fills of the control
    (plain, primary, secondary, checked, chosen item) and the edge the ring replaces."""
    rules = sheet_rules(theme.style_sheet(100, high_contrast))
    window = next(d["background"] for s, d in rules if "QMainWindow" in s).lower()
    for selectors, declarations in rules:
        for selector in selectors:
            if ":focus" not in selector:
                continue
            control = plain(selector)
            fills, edges, widths = set(), set(), set()
            for others, theirs in rules:
                for other in others:
                    if " " in other or ":disabled" in other or ":focus" in other:
                        continue  # a child widget, or a state that cannot have focus
                    if plain(other) not in (control, control + "::item"):
                        continue  # another control, or its indicator or handle
                    if "background" in theirs:
                        fills.add(theirs["background"].lower())
                    if plain(other) == control:
                        if border_colour(theirs):
                            edges.add(border_colour(theirs))
                        if border_width(theirs):
                            widths.add(border_width(theirs))
            if not fills or "transparent" in fills or "none" in fills:
                fills.add(window)  # no fill of its own: the table shows through
            fills.discard("transparent")
            fills.discard("none")
            width = border_width(declarations) or max(widths, default=0)
            yield selector, border_colour(declarations), width, fills, edges, window


@pytest.mark.parametrize("high_contrast", [False, True], ids=["normal", "high_contrast"])
def test_every_focus_ring_is_3_to_1_against_its_control_and_the_table(high_contrast):
    """WCAG 2.2 1.4.11 and 2.4.13: the ring stands out from the control's own fill (plain
    and primary button alike), from the table and the box behind it, and from the edge it
    replaces; and it is at least 3 px wide."""
    colors = theme.THEMES["high_contrast" if high_contrast else "normal"]
    too_low = {}
    rings = list(focus_rings(high_contrast))
    assert len(rings) >= 15  # buttons, fields, lists, tree, check boxes, radio buttons ...
    for selector, ring, width, fills, edges, window in rings:
        assert ring is not None, selector
        assert width >= 3, selector
        against = fills | edges | {window, colors["card"]}
        for other in sorted(against):
            ratio = theme.contrast_ratio(ring, other)
            if ratio < theme.MIN_NON_TEXT_CONTRAST:
                too_low[f"{selector} against {other}"] = round(ratio, 2)
    # the letter list's current card (ui/table/card_delegate.py): a ring on a white card
    for other in ("card", "window", "card_border"):
        ratio = theme.contrast_ratio(colors["focus"], colors[other])
        if ratio < theme.MIN_NON_TEXT_CONTRAST:
            too_low[f"current card against {other}"] = round(ratio, 2)
    assert too_low == {}
