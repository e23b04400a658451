"""Articles are written in Markdown and shown as HTML: raw HTML in the source is not
interpreted (shown as text), and the result still passes the same nh3 sanitizer as
email bodies, so nothing in an article can run or load from elsewhere."""

from __future__ import annotations

from markdown_it import MarkdownIt

from atiende.tickets.html import sanitize_html

_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def render_markdown(source: str) -> str:
    return sanitize_html(_MARKDOWN.render(source))
