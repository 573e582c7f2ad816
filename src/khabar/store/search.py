"""Full-text search queries: one syntax, checked by khabar, for both databases.

A query string -> `compile_query` -> the same query in the database's own language: an FTS5
MATCH expression for SQLite, a `to_tsquery` expression for PostgreSQL. Parsing here rather than
in the database makes a bad query the same clear StoreError on both, and a good one mean the same
on both; store/repository.py sends the result.

The syntax is SQLite FTS5's, less column filters and `+`/`^`: words, "a phrase" (double a quote
inside it), a word or phrase ending in * for a prefix, AND, OR and NOT in capitals (terms side by
side mean AND), (parentheses), and on SQLite NEAR(a b, N). NOT binds tightest, then AND, then OR.
Both databases split words at anything but letters and digits and ignore case and diacritics.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..errors import StoreError

OPERATORS = ("AND", "OR", "NOT")
#: a word as SQLite's unicode61 tokenizer sees it: letters and digits (not "_")
WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Phrase:
    """Words that must follow each other; `prefix`: the last one may go on."""

    text: str
    prefix: bool = False


@dataclass(frozen=True)
class Near:
    """Phrases within `distance` words of each other (FTS5's default is 10)."""

    phrases: tuple[Phrase, ...]
    distance: int | None


@dataclass(frozen=True)
class Operation:
    """`left AND right`, `left OR right`, or `left NOT right` (left but not right)."""

    operator: str
    left: Node
    right: Node


Node = Phrase | Near | Operation


@dataclass(frozen=True)
class _Token:
    kind: str  # "word", "string", "op", or the punctuation itself: "(", ")", ","
    text: str
    prefix: bool = False


class _Invalid(Exception):
    """The query breaks the syntax; the message says where."""


class _Unsupported(Exception):
    """The query is valid but the database cannot run it."""


def compile_query(query: str, *, dialect: str, source: str | None = None) -> str:
    """A search query in the database's own syntax.

    query (str): the query, in the syntax above; not blank.
    dialect (str): "sqlite" (FTS5 MATCH) or "postgresql" (to_tsquery, configuration `khabar`).
    source (str | None): the database, named in errors.
    RETURNS (str): the expression to bind as the MATCH or to_tsquery argument.
    RAISES StoreError: the query is not valid, or uses NEAR on PostgreSQL.
    """
    try:
        node = _Parser(query).parse()
        return _to_fts5(node) if dialect == "sqlite" else _to_tsquery(node)
    except _Invalid as exc:
        message = (
            f"search query {query!r} is not valid full-text syntax ({exc}); "
            'put words with punctuation in "double quotes"'
        )
        raise StoreError(message, source=source) from None
    except _Unsupported as exc:
        raise StoreError(f"search query {query!r}: {exc}", source=source) from None


# ---- reading the query ---------------------------------------------------------------------------


def _bare(char: str) -> bool:
    # FTS5's barewords: ASCII letters, digits and "_", and anything beyond ASCII
    return char == "_" or (char.isascii() and char.isalnum()) or not char.isascii()


def _tokens(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    at = 0
    while at < len(query):
        char = query[at]
        if char.isspace():
            at += 1
            continue
        if char in "(),":
            tokens.append(_Token(char, char))
            at += 1
            continue
        if char == '"':
            text, at = _quoted(query, at)
            kind = "string"
        elif _bare(char):
            end = at
            while end < len(query) and _bare(query[end]):
                end += 1
            text, at, kind = query[at:end], end, "word"
        else:
            raise _Invalid(f"unexpected {char!r} at character {at + 1}")
        prefix = query.startswith("*", at)
        at += prefix
        is_operator = kind == "word" and not prefix and text in OPERATORS
        tokens.append(_Token("op" if is_operator else kind, text, prefix))
    return tokens


def _quoted(query: str, start: int) -> tuple[str, int]:
    """The text of the "quoted phrase" opening at `start` ("" stands for "), and where it ends."""
    parts = []
    at = start + 1
    while True:
        close = query.find('"', at)
        if close < 0:
            raise _Invalid(f"the quote at character {start + 1} is never closed")
        parts.append(query[at:close])
        if not query.startswith('"', close + 1):
            return '"'.join(parts), close + 1
        at = close + 2


class _Parser:
    """Recursive descent over the tokens, FTS5's precedence: NOT, then AND, then OR."""

    def __init__(self, query: str) -> None:
        self.tokens = _tokens(query)
        self.at = 0

    def parse(self) -> Node:
        node = self._or()
        if self.at < len(self.tokens):
            raise _Invalid(f"unexpected {self.tokens[self.at].text!r}")
        return node

    def _peek(self, *kinds: str) -> bool:
        return self.at < len(self.tokens) and self.tokens[self.at].kind in kinds

    def _operator(self, name: str) -> bool:
        if self._peek("op") and self.tokens[self.at].text == name:
            self.at += 1
            return True
        return False

    def _take(self, what: str) -> _Token:
        if self.at >= len(self.tokens):
            raise _Invalid(f"the query ends where {what} should be")
        self.at += 1
        return self.tokens[self.at - 1]

    def _or(self) -> Node:
        node = self._and()
        while self._operator("OR"):
            node = Operation("OR", node, self._and())
        return node

    def _and(self) -> Node:
        node = self._not()
        # "a b" is "a AND b"
        while self._operator("AND") or self._peek("word", "string", "("):
            node = Operation("AND", node, self._not())
        return node

    def _not(self) -> Node:
        node = self._term()
        while self._operator("NOT"):
            node = Operation("NOT", node, self._term())
        return node

    def _term(self) -> Node:
        token = self._take("a word")
        if token.kind == "(":
            node = self._or()
            if self._take("a closing )").kind != ")":
                raise _Invalid(f"expected ) before {self.tokens[self.at - 1].text!r}")
            return node
        if token.kind == "word" and token.text == "NEAR" and not token.prefix and self._peek("("):
            return self._near()
        if token.kind in ("word", "string"):
            return _phrase(token)
        raise _Invalid(f"expected a word, found {token.text!r}")

    def _near(self) -> Near:
        self.at += 1  # the "("
        phrases = []
        while self._peek("word", "string"):
            phrases.append(_phrase(self._take("a word")))
        distance = None
        if self._peek(","):
            self.at += 1
            number = self._take("a distance")
            if number.kind != "word" or not number.text.isdigit() or number.prefix:
                raise _Invalid(f"NEAR's distance must be a number, not {number.text!r}")
            distance = int(number.text)
        if not phrases or self._take("a closing )").kind != ")":
            raise _Invalid('NEAR takes words or "phrases", then optionally a comma and a distance')
        return Near(tuple(phrases), distance)


def _phrase(token: _Token) -> Phrase:
    if not WORD.search(token.text):
        raise _Invalid(f"{token.text!r} has no letters or digits to search for")
    return Phrase(token.text, token.prefix)


# ---- writing it for the database -----------------------------------------------------------------


def _to_fts5(node: Node) -> str:
    match node:
        case Phrase(text, prefix):
            return '"' + text.replace('"', '""') + '"' + ("*" if prefix else "")
        case Near(phrases, distance):
            joined = " ".join(_to_fts5(phrase) for phrase in phrases)
            return f"NEAR({joined}{'' if distance is None else f', {distance}'})"
        case Operation(operator, left, right):
            return f"({_to_fts5(left)} {operator} {_to_fts5(right)})"


def _to_tsquery(node: Node) -> str:
    match node:
        case Phrase(text, prefix):
            # split as SQLite's tokenizer does (and as the search expression in repository.py
            # splits the text PostgreSQL indexes): "al-Qaeda's" is the phrase al, qaeda, s
            words = [f"'{word}'" for word in WORD.findall(unicodedata.normalize("NFC", text))]
            words[-1] += ":*" if prefix else ""
            return words[0] if len(words) == 1 else "(" + " <-> ".join(words) + ")"
        case Near():
            raise _Unsupported('NEAR(...) needs SQLite; on PostgreSQL join the words with AND or a "phrase"')
        case Operation("NOT", left, right):
            return f"({_to_tsquery(left)} & !{_to_tsquery(right)})"
        case Operation(operator, left, right):
            return f"({_to_tsquery(left)} {'&' if operator == 'AND' else '|'} {_to_tsquery(right)})"
