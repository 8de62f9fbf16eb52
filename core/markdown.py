"""Text from the database printed into Markdown as text: never markup, never HTML."""

import re

# What Markdown (CommonMark with GitHub's tables) reads as markup inside a line: emphasis, code,
# links and images, table cells, escapes. Line-start markers cannot occur: names are never
# printed at the start of a line.
_MARKUP = re.compile(r"([\\`*_\[\]|~])")


def md_escape(value: object) -> str:
    """`value` as Markdown text: markup characters backslash-escaped, `<`, `>` and `&` as HTML
    entities (so no tag or entity reaches a renderer), line breaks folded into spaces (a name
    cannot end a table row or start a block)."""
    text = " ".join(str(value).splitlines())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKUP.sub(r"\\\1", text)
