"""The Solr query syntax CKAN clients send in `q` and `fq`, translated to Django Q objects.

Supported (the subset CKAN's own UI, ckanapi, harvesters and GovData tools use):

- `field:value`, `field:"quoted value"`, `field:pre*` (prefix), `field:*` (has a value),
  `*:*` (everything), backslash escapes (`name:a\\:b`);
- `field:[from TO to]` and `{… TO …}` ranges on dates and counts, `*` for open ends,
  Solr date math (`NOW`, `NOW-7DAYS`, `NOW/DAY`) and ISO 8601 dates;
- `AND`/`&&`, `OR`/`||`, `NOT`/`!`, `+` (required) and `-` (excluded) prefixes,
  parentheses, and a field applied to a group: `tags:(a OR b)`.

Clauses without an operator are ANDed (CKAN's schema sets defaultOperator="AND"); AND
binds tighter than OR. Bare words search the full-text index (see `text`). Unknown
fields raise SearchQueryError ("undefined field …", what Solr answers), which the API
returns as a 400. What each field matches is defined in opendata.search.fields.
"""
from dataclasses import dataclass

from django.db.models import Q

from ..errors import SearchQueryError
from .fields import (
    ANNOTATED,
    FIELDS,
    RANGE_FIELDS,
    counts_annotate,
    extras_q,
    range_exact_q,
    range_q,
    text_search_query,
)

__all__ = ["ParsedQuery", "counts_annotate", "query_parse", "text_search_query"]


# --- the parser --------------------------------------------------------------------------------

@dataclass
class ParsedQuery:
    """A parsed q/fq: the filter, the words for ranking, and annotations it needs."""

    q: Q
    text_terms: list[str]
    annotations: set[str]


class _Parser:
    def __init__(self, text: str):
        self.s = text
        self.i = 0
        self.text_terms: list[str] = []
        self.annotations: set[str] = set()

    # -- lexing helpers
    def _ws(self):
        while self.i < len(self.s) and self.s[self.i].isspace():
            self.i += 1

    def _peek(self) -> str:
        return self.s[self.i] if self.i < len(self.s) else ""

    def _keyword(self, *words: str) -> str | None:
        self._ws()
        for word in words:
            end = self.i + len(word)
            if self.s.startswith(word, self.i) and (
                word in ("&&", "||") or end >= len(self.s) or self.s[end].isspace() or self.s[end] in "()]}"
            ):
                self.i = end
                return word
        return None

    def _error(self, what: str):
        raise SearchQueryError(f"Cannot parse '{self.s}': {what} at position {self.i}")

    def _word(self, *, stop_at_colon: bool) -> str:
        out = []
        while self.i < len(self.s):
            ch = self.s[self.i]
            if ch == "\\" and self.i + 1 < len(self.s):
                out.append(self.s[self.i + 1])
                self.i += 2
                continue
            if ch.isspace() or ch in "()" or (ch in "[]{}\"" and out == []) or (stop_at_colon and ch == ":"):
                break
            if ch in "]}":
                break
            out.append(ch)
            self.i += 1
        return "".join(out)

    def _quoted(self) -> str:
        self.i += 1  # opening quote
        out = []
        while self.i < len(self.s):
            ch = self.s[self.i]
            if ch == "\\" and self.i + 1 < len(self.s):
                out.append(self.s[self.i + 1])
                self.i += 2
                continue
            if ch == '"':
                self.i += 1
                return "".join(out)
            out.append(ch)
            self.i += 1
        self._error("unterminated quote")

    # -- grammar
    def parse(self) -> Q:
        q = self._or(field="text")
        self._ws()
        if self.i < len(self.s):
            self._error(f"unexpected '{self.s[self.i]}'")
        return q

    def _or(self, *, field: str) -> Q:
        q = self._and(field=field)
        while self._keyword("OR", "||"):
            q = q | self._and(field=field)
        return q

    def _and(self, *, field: str) -> Q:
        q = self._unary(field=field)
        while True:
            self._ws()
            if self.i >= len(self.s) or self._peek() == ")":
                return q
            start = self.i
            if self._keyword("OR", "||"):
                self.i = start
                return q
            self._keyword("AND", "&&")
            q = q & self._unary(field=field)

    def _unary(self, *, field: str) -> Q:
        self._ws()
        ch = self._peek()
        if ch == "+":
            self.i += 1
            return self._primary(field=field)
        if ch in "-!":
            self.i += 1
            return ~self._primary(field=field)
        if self._keyword("NOT"):
            return ~self._unary(field=field)
        return self._primary(field=field)

    def _primary(self, *, field: str) -> Q:
        self._ws()
        ch = self._peek()
        if not ch:
            self._error("expected a term")
        if ch == "(":
            return self._group(field=field)
        if ch == '"':
            return self._term(field, self._quoted(), quoted=True)
        if ch in "[{" and field != "text":
            return self._range(field)
        start = self.i
        word = self._word(stop_at_colon=field == "text")
        if self._peek() == ":" and field == "text":
            self.i += 1
            return self._field_value(word)
        if not word:
            self.i = start
            self._error(f"unexpected '{ch}'")
        return self._term(field, word, quoted=False)

    def _group(self, *, field: str) -> Q:
        """A parenthesised expression at "(", its terms searching `field`."""
        self.i += 1
        q = self._or(field=field)
        self._ws()
        if self._peek() != ")":
            self._error("missing ')'")
        self.i += 1
        return q

    def _field_value(self, name: str) -> Q:
        if name == "*":
            word = self._word(stop_at_colon=False)
            if word != "*":
                self._error("expected '*:*'")
            return Q()
        if name not in FIELDS and name not in RANGE_FIELDS and not name.startswith("extras_"):
            raise SearchQueryError(f"undefined field {name}")
        ch = self._peek()
        if not ch or ch.isspace() or ch == ")":
            self._error(f"missing value for field {name}")
        if ch == "(":
            return self._group(field=name)
        if ch in "[{":
            return self._range(name)
        if ch == '"':
            return self._term(name, self._quoted(), quoted=True)
        word = self._word(stop_at_colon=False)
        if not word:
            self._error(f"missing value for field {name}")
        return self._term(name, word, quoted=False)

    def _range(self, field: str) -> Q:
        if field not in RANGE_FIELDS:
            raise SearchQueryError(f"range queries are not supported on field {field}")
        low_incl = self.s[self.i] == "["
        self.i += 1
        self._ws()
        low = self._word(stop_at_colon=False)
        if not self._keyword("TO"):
            self._error("expected 'TO' in range")
        self._ws()
        high = self._word(stop_at_colon=False)
        self._ws()
        close = self._peek()
        if close not in ("]", "}") or not low or not high:
            self._error("malformed range")
        self.i += 1
        self.annotations |= {field} & ANNOTATED
        return range_q(field, low, high, (low_incl, close == "]"))

    def _term(self, field: str, value: str, *, quoted: bool) -> Q:
        kind = "exact"
        if not quoted and value == "*":
            kind = "any"
        elif not quoted and value.endswith("*") and "*" not in value[:-1]:
            kind, value = "prefix", value[:-1]
        elif not quoted and ("*" in value or "?" in value):
            raise SearchQueryError(f"wildcards are only supported at the end of a value: {value}")
        if field == "text" and kind != "any":
            self.text_terms.append(value)
        if field in RANGE_FIELDS:
            self.annotations |= {field} & ANNOTATED
            return range_exact_q(field, value, kind)
        if field.startswith("extras_") and field not in FIELDS:
            return extras_q(field[len("extras_"):])(value, kind)
        return FIELDS[field](value, kind)


def query_parse(text: str) -> ParsedQuery:
    """Parse a q/fq string; an empty string (or `*:*`) matches everything."""
    text = (text or "").strip()
    if not text:
        return ParsedQuery(Q(), [], set())
    parser = _Parser(text)
    q = parser.parse()
    return ParsedQuery(q, parser.text_terms, parser.annotations)
