"""Text contrast as WCAG 2 measures it (relative luminance), and a palette whose selected rows
read at that level: Fusion's own blue selection with white text is only about 3.7:1."""

from PySide6.QtGui import QColor, QPalette

AA = 4.5  # WCAG 2 AA for normal-sized text
_GROUPS = (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive)


def luminance(colour: QColor) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.red())
        + 0.7152 * channel(colour.green())
        + 0.0722 * channel(colour.blue())
    )


def ratio(a: QColor, b: QColor) -> float:
    """From 1 (the same) to 21 (black on white)."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def selection_fix(palette: QPalette) -> QPalette:
    """Only the Highlight colours of `palette`, darkened (behind light text) or lightened
    (behind dark text) until selected text on them reads at 4.5:1. Nothing else is set, so
    every other colour still comes from the system."""
    fix = QPalette()
    for group in _GROUPS:
        text = palette.color(group, QPalette.ColorRole.HighlightedText)
        back = QColor(palette.color(group, QPalette.ColorRole.Highlight))
        for _ in range(30):
            if ratio(text, back) >= AA:
                break
            back = back.darker(108) if luminance(text) > 0.5 else back.lighter(108)
        fix.setColor(group, QPalette.ColorRole.Highlight, back)
    return fix
