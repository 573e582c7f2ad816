"""Page furniture and the headline: the lines of a page that are not the article.

Part of `khabar.clean`. The cue words and patterns live in knowledge/lexicons/furniture.yaml:
`remove_furniture` deletes menus, share buttons, link lists, copyright and site-name lines;
`take_title` moves a headline standing at the top of the text to the title and deletes its repeats
and any line repeating the line above it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from khabar.errors import KnowledgeError
from khabar.models import ArticleWarning

__all__ = ["compile_pattern", "is_headline", "remove_furniture", "take_title"]

_NON_ALNUM = re.compile(r"[\W_]+")


@lru_cache(maxsize=256)
def compile_pattern(pattern: str) -> re.Pattern[str]:
    """A lexicon pattern, compiled case-insensitively.

    pattern (str): a regular expression from lexicons/furniture.yaml.
    RETURNS (re.Pattern): the compiled pattern.
    RAISES (KnowledgeError): the pattern is not a valid regular expression.
    """
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise KnowledgeError(f"bad pattern {pattern!r}: {exc}", source="lexicons/furniture.yaml") from exc


def remove_furniture(
    lines: list[str], lex: dict[str, Any], *, outlet: str | None, warnings: list[ArticleWarning]
) -> list[str]:
    """The lines that are not page furniture (blank lines kept, so paragraphs stay apart).

    lines (list[str]): the text's lines, whitespace already normalised.
    lex (dict): the furniture lexicon.
    outlet (str | None): the publisher's name: a line that is only this name is furniture.
    warnings (list[ArticleWarning]): gets a "furniture_removed" warning naming the lines removed.
    RETURNS (list[str]): the remaining lines.
    """
    sites = _site_names(lines, outlet, lex)
    kept, removed = [], []
    follow, follow_words = 0, 0  # lines still to drop after a rule's match, and their most words
    for line in lines:
        if not line:
            kept.append(line)
            continue
        rule = _furniture_rule(line, lex)
        if rule is None and follow and _short_unpunctuated(line, follow_words):
            follow -= 1
            removed.append(line)
        elif rule is None and _norm_headline(line) in sites:
            removed.append(line)
        elif rule is None:
            follow = 0
            kept.append(line)
        else:
            removed.append(line)
            drop = rule.get("drop_following", 0)
            follow = 10**6 if drop == "all" else int(drop)
            follow_words = rule.get("following_max_words", lex["headline"]["max_words"])
    if removed:
        shown = ", ".join(map(_quoted, removed[:6])) + (", ..." if len(removed) > 6 else "")
        warnings.append(
            ArticleWarning("furniture_removed", f"removed {len(removed)} lines of page furniture: {shown}")
        )
    return kept


def _furniture_rule(line: str, lex: dict[str, Any]) -> dict[str, Any] | None:
    words = len(line.split())
    for rule in lex.get("furniture", []):
        limit = rule.get("max_words", lex.get("furniture_max_words", 12))
        if words <= limit and compile_pattern(rule["pattern"]).fullmatch(line):
            return rule
    return None


def _short_unpunctuated(line: str, max_words: int) -> bool:
    """Looks like a headline in a list of links: short and no full stop at the end."""
    return 0 < len(line.split()) <= max_words and not line.endswith((".", "?", "!", ":", ";"))


def _site_names(lines: list[str], outlet: str | None, lex: dict[str, Any]) -> frozenset[str]:
    """The site's own name, normalised: the outlet's, and the one its copyright line gives."""
    names = [outlet or ""]
    pattern = lex.get("site_name")
    if pattern:
        names += [m.group("site") for line in lines if (m := compile_pattern(pattern).fullmatch(line))]
    return frozenset(filter(None, map(_norm_headline, names)))


def _shorten(line: str, limit: int = 60) -> str:
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _quoted(line: str) -> str:
    return f'"{_shorten(line)}"'


def is_headline(line: str, headline: dict[str, Any]) -> bool:
    """Whether a line has a headline's shape: short, no final full stop, mostly capitalised words.

    line (str): one line.
    headline (dict): the lexicon's `headline` section (word and character limits, minor words).
    RETURNS (bool): True for "Rebels Seize Border Town", False for a sentence.
    """
    words = line.split()
    if not headline["min_words"] <= len(words) <= headline["max_words"] or len(line) > headline["max_chars"]:
        return False
    if line.endswith((".", ",", ";", ":")):
        return False
    minor = set(headline["minor_words"])
    content = [w for w in words if any(c.isalnum() for c in w) and w.casefold().strip("\"'(") not in minor]
    if not content:
        return False
    capital = sum(next(c for c in w if c.isalnum()).isupper() or w[0].isdigit() for w in content)
    return capital / len(content) >= headline["min_capitalised"]


def _is_title(line: str, headline: dict[str, Any]) -> bool:
    """A headline, and not a byline, time stamp or dateline standing where a headline would."""
    return is_headline(line, headline) and not any(
        compile_pattern(p).fullmatch(line) for p in headline.get("not_titles", [])
    )


def _norm_headline(line: str) -> str:
    return _NON_ALNUM.sub("", line.casefold())


def take_title(
    text: str, *, given: str | None, headline: dict[str, Any], warnings: list[ArticleWarning]
) -> tuple[str | None, str]:
    """Move a headline standing at the top of the text to the title; drop repeated lines.

    text (str): the text, furniture removed.
    given (str | None): the title the input came with, if any.
    headline (dict): the lexicon's `headline` section.
    warnings (list[ArticleWarning]): gets "title_detected" and "headline_repeated" warnings.
    RETURNS (tuple[str | None, str]): the title (the given one, or the first line when it is a
        headline) and the text without it, without its repeats and without any line repeating the
        line above it.
    """
    lines = text.split("\n")
    body = [i for i, line in enumerate(lines) if line]
    title = given
    if title is None and len(body) > 1 and _headline_at_top(lines, body, headline):
        title = lines[body[0]]
        lines[body[0]] = ""
        body = body[1:]
        warnings.append(ArticleWarning("title_detected", f'took the first line as the title: "{title}"'))
    repeats = _repeats(lines, body, title)
    dropped = set(repeats)
    if repeats:
        shown = ", ".join(_quoted(lines[i]) for i in repeats[:4])
        warnings.append(
            ArticleWarning("headline_repeated", f"removed {len(repeats)} repeated lines: {shown}")
        )
    return title, "\n".join(line for i, line in enumerate(lines) if i not in dropped)


def _headline_at_top(lines: list[str], body: list[int], headline: dict[str, Any]) -> bool:
    """The first line is headline-shaped, or short and printed twice in a row (a scraped page
    repeats its headline, whatever its case)."""
    first, second = lines[body[0]], lines[body[1]]
    repeated = (
        len(body) > 2 and bool(_norm_headline(first)) and _norm_headline(first) == _norm_headline(second)
    )
    return _is_title(first, headline) or (repeated and _short_unpunctuated(first, headline["max_words"]))


def _repeats(lines: list[str], body: list[int], title: str | None) -> list[int]:
    """The indices of the lines equal (case and punctuation aside) to the line kept above them, and
    of the lines equal to the title: at the top, and wherever they have no final full stop (a lede
    that the title quotes ends with one). The last line standing is never one of them."""
    title_key = _norm_headline(title) if title else ""
    above, repeats = "", []
    for n, i in enumerate(body):
        key = _norm_headline(lines[i])
        top = not above
        repeat = bool(key) and (key == above or (key == title_key and (top or not lines[i].endswith("."))))
        if repeat and (not top or n < len(body) - 1):
            repeats.append(i)
        else:
            above = key or above
    return repeats
