"""clean: RawDoc -> Article (the text every later offset points into).

Second stage: after `ingest`, before `annotate`. It repairs the text without inventing any: Unicode
(ftfy, NFC, straight quotes), whitespace, page furniture (knowledge/lexicons/furniture.yaml), a
headline standing in the text, missing spaces after punctuation and proper nouns whose capitals were
lost. Every change is recorded as an `ArticleWarning`; `assess` reads them as scraping residue.
`dedup.signature` runs on the result to find syndicated copies.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Any

import ftfy
from spacy.lang.en.stop_words import STOP_WORDS

from khabar.errors import InputError, KnowledgeError
from khabar.knowledge import load_knowledge
from khabar.models import Article, ArticleWarning, RawDoc

__all__ = ["article_id", "clean"]

_ODD_SPACES = re.compile(r"[\t\v\f\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile(r"[\u200b\u2060\ufeff]")
_SPACE_RUN = re.compile(r" {2,}")
_PROTECTED = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+")
_WORD = re.compile(r"[^\W\d_]+")
# Missing space after punctuation, only between letters so 1,000 / 3.5 / 10:30 / U.S. / e.g. stay.
_SPACING = (
    (re.compile(r"(?<=[^\W\d_]) +([,;:.!?])(?= |$)", re.MULTILINE), r"\1"),
    (re.compile(r"(?<=[^\W\d_]{2})([,;])(?=[^\W\d_])"), r"\1 "),
    (re.compile(r"(?<=[a-zà-ÿ]{2})([.!?:])(?=[A-ZÀ-Þ][a-zà-ÿ])"), r"\1 "),
)
# Characters after which a capital letter proves nothing: the start of a sentence or a quote.
_SENTENCE_OPENERS = '.!?:;"“‘([\n'
_NAME_SEPARATORS = frozenset({" ", "-"})


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
        the knowledge base's `proper_names()` (country names when it is not available).
    RETURNS (Article): the cleaned article, with a warning for every change made.
    RAISES (InputError): when no text is left after cleaning.
    """
    warnings: list[ArticleWarning] = []
    lex = _lexicon("furniture")
    lines = _fix_lines(raw.text or "", warnings)
    lines = _remove_furniture(lines, lex, warnings)
    index = _name_index(frozenset(names)) if names is not None else _default_name_index()
    common = frozenset(STOP_WORDS) | frozenset(lex.get("casing", {}).get("common_words", []))
    casing = {"index": index, "common": common, "headline": lex["headline"], "warnings": warnings}
    # casing before spacing: a capital made by a repair can complete a "word.Word" to space
    text = _repair_spacing(_repair_casing("\n".join(lines), **casing), warnings)
    given = _clean_line(raw.title)
    title, text = _take_title(text, given=given, headline=lex["headline"], warnings=warnings)
    if given is not None:
        title = _repair_spacing(_repair_casing(given, evidence=text, **casing), warnings)
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


# ---- page furniture and headline -----------------------------------------------------------------


@lru_cache(maxsize=256)
def _compile(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise KnowledgeError(f"bad pattern {pattern!r}: {exc}", source="lexicons/furniture.yaml") from exc


def _furniture_rule(line: str, lex: dict[str, Any]) -> dict[str, Any] | None:
    words = len(line.split())
    for rule in lex.get("furniture", []):
        limit = rule.get("max_words", lex.get("furniture_max_words", 12))
        if words <= limit and _compile(rule["pattern"]).fullmatch(line):
            return rule
    return None


def _short_unpunctuated(line: str, headline: dict[str, Any]) -> bool:
    """Looks like a headline in a list of links: short and no full stop at the end."""
    return 0 < len(line.split()) <= headline["max_words"] and not line.endswith((".", "?", "!", ":", ";"))


def _remove_furniture(lines: list[str], lex: dict[str, Any], warnings: list[ArticleWarning]) -> list[str]:
    kept, removed, follow = [], [], 0
    for line in lines:
        if not line:
            kept.append(line)
            continue
        if follow and _short_unpunctuated(line, lex["headline"]) and not _furniture_rule(line, lex):
            follow -= 1
            removed.append(line)
            continue
        rule = _furniture_rule(line, lex)
        if rule is None:
            follow = 0
            kept.append(line)
            continue
        removed.append(line)
        drop = rule.get("drop_following", 0)
        follow = 10**6 if drop == "all" else int(drop)
    if removed:
        shown = ", ".join(f'"{_shorten(line)}"' for line in removed[:6])
        more = ", ..." if len(removed) > 6 else ""
        warnings.append(
            ArticleWarning(
                "furniture_removed", f"removed {len(removed)} lines of page furniture: {shown}{more}"
            )
        )
    return kept


def _shorten(line: str, limit: int = 60) -> str:
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _is_headline(line: str, headline: dict[str, Any]) -> bool:
    """Short, no final full stop, and mostly capitalised words."""
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
    return _is_headline(line, headline) and not any(
        _compile(p).fullmatch(line) for p in headline.get("not_titles", [])
    )


def _norm_headline(line: str) -> str:
    return "".join(c for c in line.casefold() if c.isalnum())


def _take_title(
    text: str, *, given: str | None, headline: dict[str, Any], warnings: list[ArticleWarning]
) -> tuple[str | None, str]:
    """Move a headline standing at the top of the text to the title; drop repeats of the title."""
    lines = text.split("\n")
    body = [i for i, line in enumerate(lines) if line]
    title = given
    if title is None and len(body) > 1 and _is_title(lines[body[0]], headline):
        title = lines[body[0]]
        lines[body[0]] = ""
        body = body[1:]
        warnings.append(ArticleWarning("title_detected", f'took the first line as the title: "{title}"'))
    repeats = 0
    for i in body:
        if title is None or _norm_headline(lines[i]) != _norm_headline(title) or i == body[-1]:
            break
        lines[i] = ""
        repeats += 1
    if repeats:
        warnings.append(
            ArticleWarning("headline_repeated", f'removed {repeats} repeats of the headline "{title}"')
        )
    return title, "\n".join(lines)


# ---- spacing and casing --------------------------------------------------------------------------


def _repair_spacing(text: str, warnings: list[ArticleWarning]) -> str:
    examples: list[str] = []

    def fix(part: str) -> str:
        for pattern, repl in _SPACING:
            examples.extend(part[max(0, m.start() - 8) : m.end() + 8] for m in pattern.finditer(part))
            part = pattern.sub(repl, part)
        return part

    # re.split with a group alternates text (even) and URLs or e-mail addresses (odd, kept as they are)
    pieces = re.split(f"({_PROTECTED.pattern})", text)
    text = "".join(piece if i % 2 else fix(piece) for i, piece in enumerate(pieces))
    if examples:
        shown = ", ".join(f'"{e.strip()}"' for e in examples[:5])
        warnings.append(
            ArticleWarning("spacing_repaired", f"repaired {len(examples)} spaces around punctuation: {shown}")
        )
    return text


NameEntry = tuple[str, list[str], list[str]]


@dataclass(frozen=True)
class NameIndex:
    """Known proper names by casefolded word sequence, and the most words a name starting with a
    given word has (most words start no name: they are passed over with one lookup)."""

    names: dict[tuple[str, ...], NameEntry]
    longest_from: dict[str, int]


def _runs(text: str) -> list[re.Match[str]]:
    return list(_WORD.finditer(text))


def _name_index(names: frozenset[str]) -> NameIndex:
    """Casefolded word sequence -> (name, its words, separators). Of two spellings, the one with
    fewer capitals wins, because repairs only ever add capitals."""
    index: dict[tuple[str, ...], NameEntry] = {}
    for name in sorted(names):
        runs = _runs(name)
        if not runs or not any(c.isupper() for c in name):
            continue
        key = tuple(r.group().casefold() for r in runs)
        seps = [name[a.end() : b.start()] for a, b in pairwise(runs)]
        old = index.get(key)
        if old is None or sum(map(str.isupper, name)) < sum(map(str.isupper, old[0])):
            index[key] = (name, [r.group() for r in runs], seps)
    longest_from: dict[str, int] = {}
    for key in index:
        longest_from[key[0]] = max(len(key), longest_from.get(key[0], 0))
    return NameIndex(index, longest_from)


@lru_cache(maxsize=1)
def _default_name_index() -> NameIndex:
    import pycountry

    names = {c.name for c in pycountry.countries} | {
        getattr(c, "common_name", c.name) for c in pycountry.countries
    }
    try:
        from khabar.knowledge import load_knowledge

        names |= set(load_knowledge().proper_names())
    except (ImportError, AttributeError):
        pass
    return _name_index(frozenset(names))


def _sentence_initial(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \"'“‘([":
        i -= 1
    return i < 0 or text[i] in _SENTENCE_OPENERS


def _evidence(text: str, headline: dict[str, Any]) -> tuple[Counter[str], Counter[str]]:
    """How often each word is written capitalised in mid-sentence, and how often all lower-case.
    Headline-like lines are skipped: title case capitalises common words."""
    capital: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    for line in text.split("\n"):
        if not _is_headline(line, headline):
            for r in _runs(line):
                word = r.group()
                if word.islower():
                    lower[word] += 1
                elif word[0].isupper() and not _sentence_initial(line, r.start()):
                    capital[word] += 1
    return capital, lower


def _upcase_like(word: str, model: str) -> str:
    """Give `word` the capitals of `model` (same letters), never removing one."""
    return "".join(
        m if m.isupper() and w.islower() and len(m) == 1 and m.casefold() == w else w
        for w, m in zip(word, model, strict=True)
    )


def _match_name(
    text: str, runs: list[re.Match[str]], folded: list[str], i: int, index: NameIndex
) -> tuple[int, NameEntry | None]:
    """The longest known name starting at word i, written with the name's own separators.
    `folded` holds the runs casefolded, computed once per text: this runs for every word."""
    for n in range(min(index.longest_from.get(folded[i], 0), len(runs) - i), 0, -1):
        entry = index.names.get(tuple(folded[i : i + n]))
        if entry is None:
            continue
        seps = [text[a.end() : b.start()] for a, b in pairwise(runs[i : i + n])]
        if all(s == c or {s, c} <= _NAME_SEPARATORS for s, c in zip(seps, entry[2], strict=True)):
            return n, entry
    return 0, None


def _may_repair(canonical: list[str], common: frozenset[str], capital: Counter[str]) -> bool:
    """A name made only of common words or acronyms is repaired only where the same text
    capitalises it in mid-sentence ("turkey" is a bird until the text says "talks in Turkey"); an
    acronym that is also a word ("US", "IT") never is."""
    acronyms = [c for c in canonical if len(c) > 1 and c.isupper()]
    if any(c.casefold() in common for c in acronyms):
        return False
    risky = set(acronyms) | {c for c in canonical if c.casefold() in common}
    return len(risky) < len(set(canonical)) or all(capital[c] for c in canonical)


def _repair_casing(
    text: str,
    *,
    index: NameIndex,
    common: frozenset[str],
    headline: dict[str, Any],
    warnings: list[ArticleWarning],
    evidence: str | None = None,
) -> str:
    """Capitalise proper nouns written in lower case. `evidence` is the text whose own capitals
    count (the body, when repairing a title). Repeated until nothing changes, since each repair is
    evidence for the next, so that cleaning twice gives what cleaning once gave."""
    repaired: Counter[str] = Counter()
    for _ in range(4):
        seen = _evidence(text if evidence is None else evidence, headline)
        new = _repair_casing_once(text, index=index, common=common, evidence=seen, repaired=repaired)
        if new == text:
            break
        text = new
    if repaired:
        shown = ", ".join(f'"{a}" -> "{b}"' for a, b in (k.split("\t") for k, _ in repaired.most_common(6)))
        warnings.append(
            ArticleWarning("casing_repaired", f"capitalised {sum(repaired.values())} proper names: {shown}")
        )
    return text


def _repair_casing_once(
    text: str,
    *,
    index: NameIndex,
    common: frozenset[str],
    evidence: tuple[Counter[str], Counter[str]],
    repaired: Counter[str],
) -> str:
    capital, lower = evidence
    by_lower = {w.casefold(): w for w, _ in capital.most_common()[::-1]}
    runs = _unprotected(_runs(text), [m.span() for m in _PROTECTED.finditer(text)])
    folded = [r.group().casefold() for r in runs]
    chars = list(text)
    i = 0
    while i < len(runs):
        n, entry = _match_name(text, runs, folded, i, index)
        span = (runs[i].start(), runs[i + n - 1].end()) if n else runs[i].span()
        old = text[span[0] : span[1]]
        if entry is not None and _may_repair(entry[1], common, capital):
            words = [_upcase_like(r.group(), c) for r, c in zip(runs[i : i + n], entry[1], strict=True)]
            for r, w in zip(runs[i : i + n], words, strict=True):
                chars[r.start() : r.end()] = list(w)
        elif n <= 1 and _text_says_name(old, by_lower, capital, lower, common):
            chars[span[0] : span[1]] = list(by_lower[old])
        new = "".join(chars[span[0] : span[1]])
        if new != old:
            repaired[f"{old}\t{new}"] += 1
        i += max(n, 1)
    return "".join(chars)


def _unprotected(runs: list[re.Match[str]], protected: list[tuple[int, int]]) -> list[re.Match[str]]:
    """The word runs that start outside every protected span (spans in text order, not nested)."""
    starts = [a for a, _ in protected]
    kept = []
    for r in runs:
        k = bisect_right(starts, r.start()) - 1
        if k < 0 or r.start() >= protected[k][1]:
            kept.append(r)
    return kept


def _text_says_name(
    word: str, by_lower: dict[str, str], capital: Counter[str], lower: Counter[str], common: frozenset[str]
) -> bool:
    """A lower-case word the same text mostly capitalises in mid-sentence, and no common word."""
    form = by_lower.get(word)
    return (
        form is not None
        and word.islower()
        and len(word) > 2
        and word not in common
        and len(form) == len(word)
        and capital[form] > lower[word]
    )


# ---- genre ---------------------------------------------------------------------------------------


def _genre(text: str, rules: list[dict[str, Any]]) -> str:
    """The first genre rule that matches, else "news"."""
    lines = [line for line in text.split("\n") if line]
    unquoted = re.sub(r'"[^"\n]*"', " ", text)
    for rule in rules:
        pattern = _compile(rule["pattern"])
        if rule.get("scope") == "text":
            hit = len(pattern.findall(unquoted)) >= rule.get("min_count", 1)
        else:
            where = {"head": lines[:3], "tail": lines[-3:]}.get(rule.get("where", "any"), lines)
            limit = rule.get("max_words", 50)
            hit = any(len(line.split()) <= limit and pattern.fullmatch(line) for line in where)
        if hit:
            return rule["genre"]
    return "news"
