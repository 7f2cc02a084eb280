"""Text from the data, made safe for Streamlit's markdown, and dates and highlights for readers."""

from __future__ import annotations

import re

from positions.frames import (
    search_terms,
)

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


# Streamlit turns `:material/home:` and `:smile:` into icons even when the colons are escaped;
# an invisible break after the first colon keeps them text.
_SHORTCODE = re.compile(r":(?=[A-Za-z0-9_+-]+(?:/[A-Za-z0-9_]+)?:)")


def escape_markdown(text: str) -> str:
    """Text from data or a URL, shown literally in Streamlit markdown: no markup, images,
    icons or HTML (a bare web address still shows as a link, as in any text)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _SHORTCODE.sub(":\u200b", text))


def escape_code(text: str) -> str:
    """Text shown inside a `code` span: backticks would end the span, so they are replaced."""
    return text.replace("`", "ʼ")


def highlight(text: str, query: str) -> str:
    """Markdown of `text`, escaped, with the words of the search highlighted."""
    terms = search_terms(query)
    if not terms:
        return escape_markdown(text)
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.I)
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts.append(escape_markdown(text[last : match.start()]))
        parts.append(f":orange-background[{escape_markdown(match.group(0))}]")
        last = match.end()
    parts.append(escape_markdown(text[last:]))
    return "".join(parts)
