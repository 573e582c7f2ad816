"""clean: RawDoc -> Article (the text every later offset points into).

Second stage: after `ingest`, before `annotate`. It repairs the text without inventing any: Unicode
(ftfy, NFC, straight quotes) and whitespace here; page furniture and a headline standing in the
text in `clean.furniture` (cues in knowledge/lexicons/furniture.yaml); missing spaces after
punctuation and proper nouns whose capitals were lost in `clean.repair`. Every change is recorded
as an `ArticleWarning`; `assess` reads them as scraping residue. `dedup.signature` runs on the
result to find syndicated copies.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import ftfy

from khabar.clean.furniture import compile_pattern, remove_furniture, take_title
from khabar.clean.repair import casing_for, repair_casing, repair_spacing
from khabar.errors import InputError
from khabar.knowledge import load_knowledge
from khabar.models import Article, ArticleWarning, RawDoc

__all__ = ["article_id", "clean"]

_ODD_SPACES = re.compile(r"[\t\v\f\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile(r"[\u200b\u2060\ufeff]")
_SPACE_RUN = re.compile(r" {2,}")


@lru_cache(maxsize=8)
def _lexicon(name: str) -> dict[str, Any]:
    return load_knowledge().lexicon(name)


def article_id(text: str) -> str:
    """A stable id for an article's content.

    text (str): the cleaned text.
    RETURNS (str): the first 16 hex digits of the SHA-256 of the casefolded, whitespace-collapsed text,
        so the same content ingested twice gets the same id.
    """
    return hashlib.sha256(" ".join(text.casefold().split()).encode("utf-8")).hexdigest()[:16]


def clean(raw: RawDoc, *, names: Iterable[str] | None = None) -> Article:
    """Clean one document.

    raw (RawDoc): the document as ingested.
    names (Iterable[str]): canonically cased proper names used to repair damaged casing; by default
        the knowledge base's `proper_names()` (country names when it is not available) and, in a
        text written all in lower case, the gazetteer's places in the countries the text names.
    RETURNS (Article): the cleaned article, with a warning for every change made.
    RAISES (InputError): when no text is left after cleaning.
    """
    warnings: list[ArticleWarning] = []
    lex = _lexicon("furniture")
    lines = remove_furniture(_fix_lines(raw.text or "", warnings), lex, outlet=raw.outlet, warnings=warnings)
    text = "\n".join(lines)
    casing = casing_for(text, names=names, lex=lex)
    # casing before spacing: a capital made by a repair can complete a "word.Word" to space
    text = repair_spacing(repair_casing(text, casing, warnings=warnings), warnings)
    given = _clean_line(raw.title)
    title, text = take_title(text, given=given, headline=lex["headline"], warnings=warnings)
    if given is not None:
        title = repair_spacing(repair_casing(given, casing, warnings=warnings, evidence=text), warnings)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    if not text:
        raise InputError("no article text left after cleaning", source=raw.source)
    return Article(
        id=article_id(text),
        source=raw.source,
        text=text,
        raw=raw.raw or raw.text,
        title=title,
        url=raw.url,
        published=raw.published,
        outlet=raw.outlet,
        author=raw.author,
        language=raw.language or "en",
        genre=_genre(text, lex.get("genre", [])),
        warnings=warnings,
    )


# ---- unicode and whitespace ----------------------------------------------------------------------


def _fix_lines(text: str, warnings: list[ArticleWarning]) -> list[str]:
    """Unicode (ftfy, NFC) and whitespace, line by line so that warnings can count lines."""
    lines, mojibake, steps, spaced = [], 0, Counter(), 0
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        out, explanation = _fix_unicode(line)
        spaces = _squeeze(out)
        spaced += spaces != out.strip(" ")
        if spaces != out:
            # ftfy leaves mojibake next to an odd space alone; fix it again once the space is plain
            spaces, more = _fix_unicode(spaces)
            explanation += more
        mojibake += any(action == "decode" for action, _ in explanation)
        steps.update(name for action, name in explanation if action not in ("encode", "decode"))
        lines.append(_squeeze(spaces))
    if mojibake:
        warnings.append(
            ArticleWarning("decoded_legacy_encoding", f"repaired mis-decoded text on {mojibake} lines")
        )
    if steps:
        done = ", ".join(f"{name} ({n} lines)" for name, n in steps.most_common())
        warnings.append(ArticleWarning("unicode_fixed", f"normalised unicode: {done}"))
    if spaced:
        warnings.append(ArticleWarning("whitespace_normalised", f"normalised spaces on {spaced} lines"))
    return lines


def _fix_unicode(line: str) -> tuple[str, list[tuple[str, str]]]:
    result = ftfy.fix_and_explain(line)
    steps = [(step.action, step.parameter) for step in result.explanation or []]
    out = unicodedata.normalize("NFC", result.text)
    return out, steps + ([("normalize", "NFC")] if out != result.text else [])


def _squeeze(line: str) -> str:
    return _SPACE_RUN.sub(" ", _INVISIBLE.sub("", _ODD_SPACES.sub(" ", line))).strip()


def _clean_line(line: str | None) -> str | None:
    if not line:
        return None
    return _squeeze(_fix_unicode(_squeeze(line.replace("\n", " ")))[0]) or None


# ---- genre ---------------------------------------------------------------------------------------


def _genre(text: str, rules: list[dict[str, Any]]) -> str:
    """The first genre rule that matches, else "news"."""
    lines = [line for line in text.split("\n") if line]
    unquoted = re.sub(r'"[^"\n]*"', " ", text)
    for rule in rules:
        pattern = compile_pattern(rule["pattern"])
        if rule.get("scope") == "text":
            hit = len(pattern.findall(unquoted)) >= rule.get("min_count", 1)
        else:
            where = {"head": lines[:3], "tail": lines[-3:]}.get(rule.get("where", "any"), lines)
            limit = rule.get("max_words", 50)
            hit = any(len(line.split()) <= limit and pattern.fullmatch(line) for line in where)
        if hit:
            return rule["genre"]
    return "news"
