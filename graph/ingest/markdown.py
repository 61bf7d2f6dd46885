"""Markdown stage: a Markdown document -> the plain text a reader sees (what offsets then index).

A ``.md`` release (or one served as ``text/markdown``) is parsed with markdown-it-py (CommonMark)
and written back as plain text, as an HTML page is by :mod:`graph.ingest.html`: link and image
markup gives way to the words it shows (``[Minister of Public Safety](https://...)`` reads
"Minister of Public Safety", an image its alt text), emphasis and code marks go, a heading is a
line of its own (so the first one can be the title), list items keep a ``- `` or ``1. `` marker
(the extractor reads lists by them), and blocks are separated by a blank line. Raw HTML blocks keep
their text without the tags. No I/O here.

Examples
--------
>>> source = "# Canada and Mexico *sign*\\n\\n[Minister](https://x.org) **Jane** met.\\n\\n- one\\n- two"
>>> print(markdown_text(source))
Canada and Mexico sign
<BLANKLINE>
Minister Jane met.
<BLANKLINE>
- one
- two
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

__all__ = ["markdown_text"]

_TAG = re.compile(r"<[^>]*>")


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt  # on first use: most releases are no Markdown

    return MarkdownIt("commonmark")


def markdown_text(source: str) -> str:
    """The plain text of the Markdown document ``source`` (see the module's docstring).

    Parameters
    ----------
    source : str
        Markdown, without a ``---`` metadata header (:func:`graph.ingest.text.read_text` splits it
        off first).

    Returns
    -------
    str
        Blocks separated by one blank line, the items of a list on consecutive lines.
    """
    blocks: list[str] = []
    lists: list[tuple[int | None, str]] = []  # each open list: its next number (None: bullets), its mark
    item = ""  # what the next line of text starts with (the marker of the list item just opened)
    for token in _parser().parse(source):
        kind = token.type
        if kind == "bullet_list_open":
            lists.append((None, "-"))
        elif kind == "ordered_list_open":
            lists.append((int(token.attrGet("start") or 1), token.markup))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
            item = "  " * len(lists)  # the rest of the enclosing item, if any
            if not lists:
                blocks.append("")
        elif kind == "list_item_open":
            number, mark = lists[-1]
            item = "  " * (len(lists) - 1) + ("-" if number is None else f"{number}{mark}") + " "
            if number is not None:
                lists[-1] = (number + 1, mark)
        elif kind == "inline":
            blocks.append(item + _inline(token.children or []))
            item = "  " * len(lists)
            if not lists:
                blocks.append("")
        elif kind in ("fence", "code_block"):
            blocks.extend([token.content.rstrip("\n"), ""])
        elif kind == "html_block":
            text = _TAG.sub("", token.content).strip()
            if text:
                blocks.extend([text, ""])
    lines = "\n".join(blocks).split("\n")
    out: list[str] = []
    for line in lines:  # one blank line between blocks, none at either end
        if line.strip() or (out and out[-1].strip()):
            out.append(line.rstrip())
    return "\n".join(out).strip("\n")


def _inline(children: list[Token]) -> str:
    """The words of an inline run: text, code and image alt texts; breaks as line ends."""
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts)
