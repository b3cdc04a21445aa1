"""The Solr query syntax CKAN clients send in `q` and `fq`, parsed with luqum (a Lucene
query grammar) and translated to Django Q objects.

Supported (what CKAN's own UI, ckanapi, harvesters and GovData tools send):

- `field:value`, `field:"quoted phrase"`, `field:pre*` (prefix), `field:*` (has a value),
  `*:*` (everything), backslash escapes (`name:a\\:b`, `tags:Rad\\ Verkehr`);
- `field:[from TO to]` and `{… TO …}` ranges on dates and counts, `*` for open ends,
  `field:>=x` / `field:<x`, Solr date math (`NOW`, `NOW-7DAYS`, `NOW/DAY`) and ISO 8601
  dates;
- `AND`/`&&`, `OR`/`||`, `NOT`/`!`, `+` (required) and `-` (excluded) prefixes,
  parentheses, and a field applied to a group: `tags:(a OR b)`;
- boosts (`title:Meldungen^2`, `(a OR b)^0.5`): they weight a clause's score in Solr and
  never change which datasets match, so the clause filters as without its boost; our
  ranking (ts_rank_cd over the full-text index) does not weight it. An approximation,
  stated plainly.

Clauses without an operator are ANDed (CKAN's Solr schema sets q.op=AND); luqum gives the
implicit operator the lowest precedence (`a OR b c` is `(a OR b) AND c`). Bare words and
phrases search the full-text index (`text`). Fuzzy terms (`word~1`), proximity
(`"a b"~2`) and regular expressions (`/re/`) cannot be answered by PostgreSQL's full-text
search without changing what matches, so they raise SearchQueryError (400 "Search Query
Error"), as do syntax errors and unknown fields ("undefined field …", what Solr answers).
What each field matches is defined in opendata.search.fields.
"""
from dataclasses import dataclass

from django.db.models import Q
from luqum import tree
from luqum.exceptions import ParseError
from luqum.parser import parser

from ..errors import SearchQueryError
from .fields import (
    ANNOTATED,
    FIELDS,
    RANGE_FIELDS,
    counts_annotate,
    extras_q,
    range_exact_q,
    range_q,
    text_phrase_q,
    text_search_query,
)

__all__ = ["ParsedQuery", "counts_annotate", "query_parse", "text_search_query"]


@dataclass
class ParsedQuery:
    """A parsed q/fq: the filter, the words for ranking, and annotations it needs."""

    q: Q
    text_terms: list[str]
    annotations: set[str]


def _unescape(value: str) -> str:
    """Lucene backslash escapes: `a\\:b` → `a:b`."""
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value):
            i += 1
        out.append(value[i])
        i += 1
    return "".join(out)


def _and(parts: list[Q]) -> Q:
    result = Q()
    for part in parts:
        result &= part
    return result


def _or(parts: list[Q]) -> Q:
    result = parts[0]
    for part in parts[1:]:
        result |= part
    return result


class _Translator:
    """Walks luqum's tree; `field` is the field bare terms search ("text" at the top)."""

    def __init__(self, text: str):
        self.text = text
        self.text_terms: list[str] = []
        self.annotations: set[str] = set()

    def error(self, what: str):
        raise SearchQueryError(f"Cannot parse '{self.text}': {what}")

    def node(self, node, field: str) -> Q:
        if isinstance(node, tree.SearchField):
            return self.search_field(node, field)
        if isinstance(node, (tree.Group, tree.FieldGroup)):
            return self.node(node.expr, field)
        if isinstance(node, tree.AndOperation):
            return _and([self.node(child, field) for child in node.children])
        if isinstance(node, tree.OrOperation):
            return _or([self.node(child, field) for child in node.children])
        if isinstance(node, tree.UnknownOperation):
            return self.implicit(list(node.children), field)
        if isinstance(node, (tree.Not, tree.Prohibit)):
            return ~self.node(node.a, field)
        if isinstance(node, tree.Plus):
            return self.node(node.a, field)
        if isinstance(node, tree.Boost):
            return self.node(node.expr, field)
        if isinstance(node, tree.Phrase):
            return self.term(field, _unescape(node.value[1:-1]), quoted=True)
        if isinstance(node, tree.Word):
            return self.word(node.value, field)
        if isinstance(node, (tree.Range, tree.From, tree.To)):
            return self.range(node, field)
        if isinstance(node, tree.Proximity):
            self.error(f"proximity searches are not supported: {node}")
        if isinstance(node, tree.Fuzzy):
            self.error(f"fuzzy searches are not supported: {node}")
        if isinstance(node, tree.Regex):
            self.error(f"regular expressions are not supported: {node}")
        self.error(f"unsupported syntax: {node}")

    def implicit(self, children: list, field: str) -> Q:
        """Clauses side by side are ANDed; Solr's `&&` and `||`, which luqum reads as words,
        join them like AND and OR (AND binding tighter)."""
        operators = [isinstance(child, tree.Word) and child.value in ("&&", "||") for child in children]
        if operators[0] or operators[-1] or any(a and b for a, b in zip(operators, operators[1:], strict=False)):
            self.error("'&&' or '||' without a clause on both sides")
        groups, current = [], []
        for child in children:
            if isinstance(child, tree.Word) and child.value == "||":
                groups.append(current)
                current = []
            elif not (isinstance(child, tree.Word) and child.value == "&&"):
                current.append(child)
        groups.append(current)
        return _or([_and([self.node(child, field) for child in group]) for group in groups])

    def search_field(self, node, field: str) -> Q:
        name, negate = node.name, False
        if name.startswith("!"):  # Solr's `!field:value` is NOT field:value
            name, negate = name[1:], True
        name = _unescape(name)
        if name == "*":
            if not (isinstance(node.expr, tree.Word) and node.expr.value == "*"):
                self.error("expected '*:*'")
            q = Q()
        else:
            if field != "text":
                self.error(f"a field inside field {field}: {node}")
            if name not in FIELDS and name not in RANGE_FIELDS and not name.startswith("extras_"):
                raise SearchQueryError(f"undefined field {name}")
            q = self.node(node.expr, name)
        return ~q if negate else q

    def word(self, value: str, field: str) -> Q:
        if value.startswith("!") and len(value) > 1:
            return ~self.word(value[1:], field)
        if value in ("&&", "||", "!"):
            self.error(f"'{value}' without a clause on both sides")
        if value == "*" or (value.endswith("*") and not value.endswith("\\*")):
            stem = value[:-1]
            if "*" in stem.replace("\\*", "") or "?" in value:
                raise SearchQueryError(f"wildcards are only supported at the end of a value: {value}")
            return self.term(field, _unescape(stem), quoted=False, kind="any" if value == "*" else "prefix")
        if "?" in value.replace("\\?", "") or "*" in value.replace("\\*", ""):
            raise SearchQueryError(f"wildcards are only supported at the end of a value: {value}")
        return self.term(field, _unescape(value), quoted=False)

    def range(self, node, field: str) -> Q:
        if field not in RANGE_FIELDS:
            raise SearchQueryError(f"range queries are not supported on field {field}")
        if isinstance(node, tree.Range):
            low, high, inclusive = node.low, node.high, (node.include_low, node.include_high)
        elif isinstance(node, tree.From):
            low, high, inclusive = node.a, tree.Word("*"), (node.include, True)
        else:
            low, high, inclusive = tree.Word("*"), node.a, (True, node.include)
        bounds = []
        for bound in (low, high):
            if not isinstance(bound, (tree.Word, tree.Phrase)):
                self.error(f"malformed range: {node}")
            bounds.append(_unescape(bound.value.strip('"')))
        self.annotations |= {field} & ANNOTATED
        return range_q(field, bounds[0], bounds[1], inclusive)

    def term(self, field: str, value: str, *, quoted: bool, kind: str = "exact") -> Q:
        if field == "text":
            if kind != "any":
                self.text_terms.append(value)
            if quoted:
                return text_phrase_q(value)
        if field in RANGE_FIELDS:
            self.annotations |= {field} & ANNOTATED
            return range_exact_q(field, value, kind)
        if field.startswith("extras_") and field not in FIELDS:
            return extras_q(field[len("extras_"):])(value, kind)
        return FIELDS[field](value, kind)


def query_parse(text: str) -> ParsedQuery:
    """Parse a q/fq string; an empty string (or `*:*`) matches everything. Raises
    SearchQueryError for what it cannot read or answer."""
    text = (text or "").strip()
    if not text:
        return ParsedQuery(Q(), [], set())
    try:
        parsed = parser.parse(text)
    except ParseError as exc:
        raise SearchQueryError(f"Cannot parse '{text}': {exc}") from None
    except (RecursionError, TypeError, ValueError) as exc:  # luqum on pathological input
        raise SearchQueryError(f"Cannot parse '{text}': {exc}") from None
    translator = _Translator(text)
    q = translator.node(parsed, "text")
    return ParsedQuery(q, translator.text_terms, translator.annotations)
