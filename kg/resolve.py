"""The reduce step: decide which mentions, across all documents, are one entity.

Name mentions are grouped by a normalised key (case, word order, legal form and
possessive do not matter); acronyms defined in the text and the long form a
name was split from join their name's group; a short form ("Lingang",
"Saike Intelligence") joins the one longer name of a compatible class that
contains its words and clearly dominates any other candidate. Each group
becomes an :class:`~kg.graph.Entity` with one class (a weighted vote over all
its mentions), a canonical name (the fullest form used), and a stable IRI.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.graph import Entity
from kg.iri import document_iri, entity_iri
from kg.lexicon import Lexicon
from kg.model import DocResult
from kg.vocab import ENTITY_CLASSES, SUPERCLASS, top_class

__all__ = ["name_key", "Resolution", "resolve"]

#: a short form joins a longer name only if that name has this many times the
#: mentions of the next candidate
DOMINANCE = 2.0
#: weight at or below which a class vote is "weak" (a bare NER label)
WEAK = 1.0
#: a place-named short form ("Qingpu") joins a zone or organisation named after it
#: only when that name is mentioned at least this often
PLACE_SHORT_FORM_MIN = 5

_PUNCT = re.compile(r"[^\w\s&-]+")


def _tokens(text: str, lex: Lexicon) -> list[str]:
    text = unicodedata.normalize("NFKC", text).casefold().replace("’", "'")
    text = re.sub(r"'s\b", "", text)
    words = [w for w in _PUNCT.sub(" ", text).split() if w]
    if words and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and (words[-1] in lex.legal_forms or words[-1] + "." in lex.legal_forms):
        words = words[:-1]
    return words


def name_key(text: str, lex: Lexicon) -> tuple[str, ...]:
    """Order- and case-insensitive key of a name.

    "the new Lingang area" and "Lingang New Area" share a key, and so do
    "Tesla, Inc." and "Tesla".
    """
    return tuple(sorted(_tokens(text, lex)))


def _stem(word: str) -> str:
    return word[:5] if len(word) >= 5 else word


@dataclass
class _Form:
    key: tuple[str, ...]
    texts: Counter[str] = field(default_factory=Counter)
    aliases: set[str] = field(default_factory=set)
    votes: Counter[str] = field(default_factory=Counter)
    labels: Counter[str] = field(default_factory=Counter)
    same_as: set[str] = field(default_factory=set)
    count: int = 0
    gazetteer: bool = False

    @property
    def cls(self) -> str:
        return _vote(self.votes)

    @property
    def strong(self) -> bool:
        return self.gazetteer or max(self.votes.values(), default=0) > WEAK * max(self.count, 1)


def _vote(votes: Counter[str]) -> str:
    if not votes:
        return "Entity"
    depth = {c: _depth(c) for c in votes}
    return max(votes, key=lambda c: (votes[c], depth[c], -ENTITY_CLASSES.index(c)))


def _depth(cls: str) -> int:
    d, c = 0, SUPERCLASS.get(cls)
    while c is not None:
        d, c = d + 1, SUPERCLASS.get(c)
    return d


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[tuple[str, ...], tuple[str, ...]] = {}

    def find(self, x: tuple[str, ...]) -> tuple[str, ...]:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, child: tuple[str, ...], root: tuple[str, ...]) -> None:
        a, b = self.find(child), self.find(root)
        if a != b:
            self.parent[a] = b


@dataclass
class Resolution:
    """Entities and which entity each mention of each document denotes."""

    entities: list[Entity]
    mention_entity: dict[tuple[str, int], str]


def _compatible(short: _Form, long: _Form) -> bool:
    a, b = short.cls, long.cls
    if not short.strong:
        label = short.labels.most_common(1)[0][0]
        if label == "PERSON" and len(short.key) >= 2:
            return b == "Person"  # a full personal name stays a person ("Jordan Lee" ≠ "Jordan Lee Holdings")
        if label in ("GPE", "LOC"):
            return top_class(b) == "Place" and (b in ("AdministrativeArea", "Facility", "City") or long.count >= PLACE_SHORT_FORM_MIN)
        return True
    if top_class(a) != top_class(b):
        return False
    return a == b or a == top_class(a) or b == top_class(b)


class _StemIndex:
    """Which names contain a word stem; lets a short form find its longer names fast."""

    def __init__(self, forms: dict[tuple[str, ...], _Form], lex: Lexicon) -> None:
        self.stems: dict[tuple[str, ...], frozenset[str]] = {k: frozenset(_stem(w) for w in k) for k in forms}
        self.first: dict[tuple[str, ...], frozenset[str]] = {
            k: frozenset(_stem(w) for t in f.texts for w in _tokens(t, lex)[:1]) for k, f in forms.items()
        }
        self.postings: dict[str, set[tuple[str, ...]]] = defaultdict(set)
        for key, stems in self.stems.items():
            for st in stems:
                self.postings[st].add(key)

    def containing(self, key: tuple[str, ...]) -> set[tuple[str, ...]]:
        lists = sorted((self.postings[st] for st in self.stems[key]), key=len)
        if not lists:
            return set()
        found = set(lists[0])
        for other in lists[1:]:
            found &= other
            if not found:
                break
        return found


def _short_form_target(
    short: _Form, forms: dict[tuple[str, ...], _Form], index: _StemIndex, lex: Lexicon
) -> tuple[str, ...] | None:
    words = short.key
    if short.gazetteer or not any(w not in lex.generic for w in words):
        return None
    first = index.first[short.key]
    cands = []
    for key in index.containing(short.key):
        form = forms[key]
        if key == short.key or len(key) <= len(words) or not _compatible(short, form):
            continue
        prefix = bool(index.first[key] & first)
        cands.append((prefix, form.count, key))
    if not cands:
        return None
    if any(c[0] for c in cands):
        cands = [c for c in cands if c[0]]
    cands.sort(key=lambda c: (-c[1], c[2]))
    if len(cands) > 1 and cands[0][1] < DOMINANCE * cands[1][1]:
        return None
    return cands[0][2]


def resolve(results: Iterable[DocResult], lex: Lexicon) -> Resolution:
    """Merge the mentions of all documents into entities."""
    results = list(results)
    forms: dict[tuple[str, ...], _Form] = {}
    per_mention: list[tuple[str, int, tuple[str, ...]]] = []
    keys: dict[str, tuple[str, ...]] = {}  # surface form -> name key (names repeat a lot)
    alias_links: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    for res in results:
        for idx, m in enumerate(res.mentions):
            if m.kind not in ("name", "acronym"):
                continue
            key = keys.get(m.text)
            if key is None:
                key = keys[m.text] = name_key(m.text, lex)
            if not key:
                continue
            form = forms.get(key)
            if form is None:
                form = forms[key] = _Form(key)
            form.count += 1
            form.labels[m.label] += 1
            if m.kind == "name":
                form.texts[m.text] += 1
                form.votes[m.cls] += m.weight
            if m.label == "GAZ":
                form.gazetteer = True
            if m.same_as:
                form.same_as.add(m.same_as)
            if m.kind == "acronym" and m.full:
                form.aliases.add(m.text)
                alias_links.append((key, name_key(m.full, lex)))
            elif m.full:
                form.aliases.add(m.full)
            per_mention.append((res.info.id, idx, key))

    uf = _UnionFind()
    for key in forms:
        uf.find(key)
    for short_key, long_key in alias_links:
        if long_key in forms:
            uf.union(short_key, long_key)
    index = _StemIndex(forms, lex)
    for key in sorted(forms, key=lambda k: (len(k), k)):
        target = _short_form_target(forms[key], forms, index, lex)
        if target is not None:
            uf.union(key, target)

    groups: dict[tuple[str, ...], list[_Form]] = defaultdict(list)
    for key, form in forms.items():
        groups[uf.find(key)].append(form)

    entities: dict[tuple[str, ...], Entity] = {}
    used_iris: set[str] = set()
    for root in sorted(groups, key=lambda k: _canonical(groups[k])):
        members = groups[root]
        votes: Counter[str] = Counter()
        for f in members:
            votes.update(f.votes)
        gaz = [f for f in members if f.gazetteer]
        cls = gaz[0].cls if gaz else _vote(votes)
        name = _canonical(members)
        iri = entity_iri(cls, name)
        if iri in used_iris:
            iri = entity_iri(cls, name, salt=repr(root))
        used_iris.add(iri)
        alt = {t for f in members for t in f.texts} | {a for f in members for a in f.aliases}
        alt.discard(name)
        entities[root] = Entity(
            iri=iri,
            label=name,
            cls=cls,
            alt_labels=tuple(sorted(alt)),
            same_as=tuple(sorted(q for f in members for q in f.same_as)),
        )

    mention_entity: dict[tuple[str, int], str] = {}
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for doc_id, idx, key in per_mention:
        iri = entities[uf.find(key)].iri
        mention_entity[(doc_id, idx)] = iri
        counts[iri][doc_id] += 1
    for res in results:
        for idx, m in enumerate(res.mentions):
            if m.antecedent is not None and (res.info.id, m.antecedent) in mention_entity:
                iri = mention_entity[(res.info.id, m.antecedent)]
                mention_entity[(res.info.id, idx)] = iri
                counts[iri][res.info.id] += 1
    out = []
    for ent in entities.values():
        ent.mentions = {document_iri(d): n for d, n in sorted(counts[ent.iri].items())}
        out.append(ent)
    out.sort(key=lambda e: e.iri)
    return Resolution(out, mention_entity)


def _canonical(members: list[_Form]) -> str:
    """The fullest name used: most words, then most used, then alphabetical."""
    texts: Counter[str] = Counter()
    for f in members:
        texts.update(f.texts)
    if not texts:
        texts.update({a: 1 for f in members for a in f.aliases} or {" ".join(members[0].key): 1})
    return min(texts, key=lambda t: (-len(t.split()), -texts[t], t))
