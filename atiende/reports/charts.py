"""Charts as SVG drawn on the server by pygal, made safe for our Content-Security-Policy:
pygal's own <style> and style attributes are dropped (the page's static stylesheet
`reports.css` styles its classes) and no script is referenced. Every chart is shown
beside a table with the same numbers, so the SVG is decorative for screen readers."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import pygal  # type: ignore[import-untyped]
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

STYLE_BLOCK = re.compile(r"<style[^>]*>.*?</style>", re.DOTALL)
STYLE_ATTRIBUTE = re.compile(r'\sstyle="[^"]*"')
SCRIPT = re.compile(r"<script[^>]*>.*?</script>|<script[^>]*/>", re.DOTALL)
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
CACHE_SECONDS = 15 * 60


def _config() -> dict[str, object]:
    return {
        "js": [],
        "css": [],
        "disable_xml_declaration": True,
        "no_prefix": True,
        "width": 640,
        "height": 280,
        "legend_at_bottom": True,
        "show_y_guides": True,
        "truncate_label": 12,
        "x_label_rotation": 0,
        "print_values": False,
        "margin": 8,
    }


def _safe(svg: str) -> SafeString:
    for pattern in (STYLE_BLOCK, SCRIPT, COMMENT):
        svg = pattern.sub("", svg)
    svg = STYLE_ATTRIBUTE.sub("", svg).replace(' id=""', "").replace("<title>Pygal</title>", "")
    svg = svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
    return mark_safe(svg)  # noqa: S308 - drawn by pygal from numbers and escaped labels


def _labels(labels: Sequence[str], most: int = 8) -> list[str]:
    """Every label on short series; on long ones only some, so they stay readable."""
    step = max(1, -(-len(labels) // most))
    return [label if index % step == 0 else "" for index, label in enumerate(labels)]


def _drawn(kind: str, labels: Sequence[str], series: dict[str, Sequence[float | None]]) -> SafeString:
    """pygal takes tens of milliseconds a chart; the same numbers give the same drawing, so
    it is kept in the cache under a digest of them until the next rollup."""
    key = "chart:" + hashlib.sha256(repr((kind, list(labels), sorted(series.items()))).encode()).hexdigest()
    cached = cache.get(key)
    if isinstance(cached, str):
        return mark_safe(cached)  # noqa: S308 - what _safe returned
    if kind == "line":
        chart = pygal.Line(**_config(), show_dots=len(labels) <= 40)
        chart.x_labels = _labels(labels)
    else:
        chart = pygal.StackedBar(**_config()) if kind == "stacked" else pygal.Bar(**_config())
        chart.x_labels = _labels(labels, 12)
    for title, values in series.items():
        chart.add(title, list(values))
    svg = _safe(chart.render(is_unicode=True))
    cache.set(key, str(svg), CACHE_SECONDS)
    return svg


def line_chart(labels: Sequence[str], series: dict[str, Sequence[float | None]]) -> SafeString:
    return _drawn("line", labels, series)


def bar_chart(labels: Sequence[str], series: dict[str, Sequence[float | None]]) -> SafeString:
    return _drawn("bar", labels, series)


def stacked_bar_chart(labels: Sequence[str], series: dict[str, Sequence[float | None]]) -> SafeString:
    """Parts of a whole per label (the three faces of each group's ratings)."""
    return _drawn("stacked", labels, series)
