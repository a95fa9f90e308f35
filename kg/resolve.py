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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kg.extract.pairs import referent
from kg.graph import Entity
from kg.iri import document_iri, entity_iri
from kg.lexicon import Lexicon
from kg.model import DocResult
from kg.vocab import ENTITY_CLASSES, SUPERCLASS, is_subclass, top_class

__all__ = ["name_key", "initials_match", "Resolution", "resolve"]

#: a short form joins a longer name only if that name has this many times the
#: mentions of the next candidate
DOMINANCE = 2.0
#: weight at or below which a class vote is "weak" (a bare NER label)
WEAK = 1.0
#: a place-named short form ("Qingpu") joins a zone or organisation named after it
#: only when that name is mentioned at least this often
PLACE_SHORT_FORM_MIN = 5

_PUNCT = re.compile(r"[^\w\s&-]+")


#: letters that no Unicode decomposition takes to ASCII ("Møller", "Mærsk", "Łódź")
_FOLD = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"})


def _fold(text: str) -> str:
    """Case- and accent-insensitive: "A.P. Møller Mærsk" and "A.P. Moller - Maersk" write one name."""
    text = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    return "".join(c for c in text if not unicodedata.combining(c))


def _tokens(text: str, lex: Lexicon) -> list[str]:
    text = unicodedata.normalize("NFKC", _fold(unicodedata.normalize("NFKC", text))).replace("’", "'")
    text = re.sub(r"'s\b", "", text)
    words = [w for w in _PUNCT.sub(" ", text).split() if w.strip("-–—")]  # "A.P. Moller - Maersk"
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
    #: classes the descriptions that refer to it give ("the company" → Company)
    described: Counter[str] = field(default_factory=Counter)
    labels: Counter[str] = field(default_factory=Counter)
    same_as: set[str] = field(default_factory=set)
    count: int = 0
    gazetteer: bool = False
    docs: set[str] = field(default_factory=set)

    @property
    def cls(self) -> str:
        return _vote(self.votes)

    @property
    def strong(self) -> bool:
        return self.gazetteer or max(self.votes.values(), default=0) > WEAK * max(self.count, 1)


def _refined(cls: str, members: Sequence[_Form]) -> str:
    """The class the descriptions referring to an entity give, when it is a kind of ``cls``:
    an "Organization" that the text calls "the company" is a Company."""
    described: Counter[str] = Counter()
    for f in members:
        described.update(f.described)
    for c, _ in described.most_common():
        if c != cls and is_subclass(c, cls):
            return c
    return cls


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
        #: each merged key -> (the key it joined, the rule that merged them)
        self.why: dict[tuple[str, ...], tuple[tuple[str, ...], str]] = {}

    def find(self, x: tuple[str, ...]) -> tuple[str, ...]:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, child: tuple[str, ...], root: tuple[str, ...], rule: str = "") -> None:
        a, b = self.find(child), self.find(root)
        if a != b:
            self.parent[a] = b
            self.why[child] = (root, rule)


@dataclass
class Resolution:
    """Entities and which entity each mention of each document denotes."""

    entities: list[Entity]
    mention_entity: dict[tuple[str, int], str]
    #: entity IRI -> (merged name, the name it joined, rule) for every merge: see ``kg explain``
    merges: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)


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


#: words that make "X County" another administrative level than the town X
_ADMIN_LEVELS = {"county", "district", "province", "prefecture", "state", "region", "municipality", "township", "parish", "borough", "city", "oblast", "governorate"}


def _other_level(short: _Form, long: _Form) -> bool:
    """ "Charleston" (a town) and "Charleston County": one name, two places."""
    from kg.extract.places import place_senses

    extra = set(long.key) - set(short.key)
    if not extra or not extra <= _ADMIN_LEVELS:
        return False
    return short.cls == "City" or any(s.kind == "city" for t in short.texts for s in place_senses(t))


def _longer_head(short: _Form, long: _Form, lex: Lexicon) -> bool:
    """ "APM Terminals" and "APM Terminals Maasvlakte", "Ningbo Port" and "Ningbo Port Group":
    a name of two words or more that a longer one goes on after names another thing (a name's
    head is its last word), unless the rest is an "of" phrase ("Bank of X"). People are not
    names of this kind: "Paul Smith" is "Paul Smith Jr." and "Anna Maria Perry"."""
    if short.cls == "Person" or short.labels.most_common(1)[0][0] == "PERSON":
        return False
    s = _tokens(short.texts.most_common(1)[0][0], lex) if short.texts else []
    if len(s) < 2:
        return False
    for text in long.texts:
        words = _tokens(text, lex)
        if len(words) > len(s) and words[: len(s)] == s and words[len(s)] not in _SKIPPABLE:
            return True
    return False


def _shares_an_end(short: _Form, long: _Form, lex: Lexicon) -> bool:
    """A short form begins or ends like its longer name ("Tsinghua" / "Tsinghua University",
    "Svendsen" / "Keith Svendsen"); a word from the middle ("Evergrande" in "Tsinghua Evergrande
    Institute") names something else."""
    ends = {(_stem(w[0]), _stem(w[-1])) for w in (_tokens(t, lex) for t in long.texts) if w}
    for text in short.texts or (" ".join(short.key),):
        words = _tokens(text, lex)
        if words and any(_stem(words[0]) == first or _stem(words[-1]) == last for first, last in ends):
            return True
    return not long.texts  # a form known only by its key (an acronym): no order to check


def _level_links(forms: dict[tuple[str, ...], _Form]) -> Iterable[tuple[tuple[str, ...], tuple[str, ...]]]:
    """ "Zhejiang" and "Zhejiang province" are one region; a town and its county are not."""
    for key, f in forms.items():
        if f.cls != "AdministrativeArea":
            continue
        for level in sorted(_ADMIN_LEVELS - {"city"}):
            long = tuple(sorted((*key, level)))
            if long in forms and top_class(forms[long].cls) == "Place" and not _other_level(f, forms[long]):
                yield key, long


def _short_form_target(
    short: _Form, forms: dict[tuple[str, ...], _Form], index: _StemIndex, lex: Lexicon
) -> tuple[str, ...] | None:
    words = short.key
    if short.gazetteer or short.same_as or not any(w not in lex.generic for w in words):
        return None
    first = index.first[short.key]
    cands = []
    person = short.cls == "Person" or short.labels.most_common(1)[0][0] == "PERSON"
    for key in index.containing(short.key):
        form = forms[key]
        if key == short.key or len(key) <= len(words) or not _compatible(short, form):
            continue
        if form.labels.keys() == {"FACILITY"}:  # kg.extract.mentions.FACILITY (mentions imports this module)
            continue  # "Guangzhou port" is no longer a name of Guangzhou, "BYD factory" none of BYD
        if person and not short.docs & form.docs:
            continue  # across documents, people merge by full name only
        if _other_level(short, form) or _longer_head(short, form, lex) or not _shares_an_end(short, form, lex):
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
            if m.kind == "description" and m.antecedent is not None:
                # "the company": the class it gives the (earlier, so already keyed) name it refers to
                classes = lex.descriptions.get(m.text.split()[-1].lower(), ())
                named = forms.get(keys.get(res.mentions[referent(idx, res.mentions)].text, ()))
                if len(classes) == 1 and named is not None:
                    named.described[classes[0]] += 1
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
            form.docs.add(res.info.id)
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
            uf.union(short_key, long_key, "acronym defined in parentheses" if len(short_key) == 1 else "split from a longer name")
    for short_key, long_key in _same_link(forms):
        uf.union(short_key, long_key, "same GeoNames/Wikidata id")
    for short_key, long_key in _acronym_links(forms, lex, uf):
        uf.union(short_key, long_key, "acronym of a name in the same document")
    for short_key, long_key in _level_links(forms):
        uf.union(short_key, long_key, "a region and the same name with its level (\"Zhejiang province\")")
    people = _person_links(forms, lex, uf)
    for short_key, (long_key, rule) in people.items():
        if long_key is not None:
            uf.union(short_key, long_key, rule)
    index = _StemIndex(forms, lex)
    for key in sorted(forms, key=lambda k: (len(k), k)):
        if key in people:
            continue  # a person's short form joins a full name of its document, or nothing
        target = _short_form_target(forms[key], forms, index, lex)
        if target is not None:
            uf.union(key, target, "short form contained in one longer name")

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
        cls = gaz[0].cls if gaz else _refined(_vote(votes), members)
        if not gaz and any(f.key in people and people[f.key][0] is not None for f in members):
            cls = "Person"  # a surname joined a full name: the entity is a person
        name = _canonical(members, lex.person_titles if cls == "Person" else frozenset())
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
            same_as=tuple(sorted({q for f in members for q in f.same_as})),
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
    merges: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for child, (target, rule) in sorted(uf.why.items()):
        merges[entities[uf.find(child)].iri].append((_canonical([forms[child]]), _canonical([forms[target]]), rule))
    return Resolution(out, mention_entity, dict(merges))


# ----------------------------------------------------------------- merge rules


def _same_link(forms: dict[tuple[str, ...], _Form]) -> Iterable[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Names linked to the same GeoNames or Wikidata id ("U.S.", "United States") are one entity."""
    first: dict[str, tuple[str, ...]] = {}
    for key in sorted(forms, key=lambda k: (-len(_canonical([forms[k]])), k)):
        for link in sorted(forms[key].same_as):
            if link in first:
                yield key, first[link]
            else:
                first[link] = key


def _ordered_words(form: _Form) -> list[str]:
    """The words of a name's most used spelling, in order, as written."""
    text = form.texts.most_common(1)[0][0] if form.texts else " ".join(form.key)
    return re.findall(r"[^\W_][\w'’.-]*", unicodedata.normalize("NFKC", text))


#: short words that an acronym may skip ("Ministry of Trade and Industry" → MTI)
_SKIPPABLE = {"of", "and", "&", "the", "for", "to", "on", "in", "at", "de", "la", "le", "du", "des", "der", "und", "a"}


def initials_match(acronym: str, words: list[str], optional: set[str], *, prefix: bool = False) -> bool:
    """Every word's initial in order, skipping short function words and legal forms;
    ``prefix``: of the first words only ("Board of Investment of Thailand" → BOI)."""
    letters = acronym.casefold()

    def go(i: int, j: int) -> bool:
        if prefix and i == len(letters) and j >= 2:
            return True
        if j == len(words):
            return i == len(letters)
        w = words[j].casefold()
        skippable = w in _SKIPPABLE or w in optional or w.rstrip(".") in optional
        if i < len(letters) and w[0] == letters[i] and go(i + 1, j + 1):
            return True
        return skippable and go(i, j + 1)

    return len(words) >= 2 and go(0, 0)


def _is_acronym(form: _Form) -> bool:
    texts = [t for t in form.texts if t.replace(".", "").replace("&", "").isalpha()]
    return len(form.key) == 1 and any(t.isupper() and 2 <= len(t.replace(".", "")) <= 10 for t in texts)


def _acronym_links(
    forms: dict[tuple[str, ...], _Form], lex: Lexicon, uf: _UnionFind
) -> Iterable[tuple[tuple[str, ...], tuple[str, ...]]]:
    """ "BAT" joins the one name of its documents whose initials it spells ("British American Tobacco")."""
    acronyms = [k for k, f in forms.items() if _is_acronym(f)]
    if not acronyms:
        return
    by_doc: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for key, f in forms.items():
        if len(key) >= 2 and f.cls != "Person":
            for d in f.docs:
                by_doc[d].append(key)
    optional = set(lex.legal_forms)
    for short in sorted(acronyms):
        text = next(t for t in forms[short].texts if t.isupper()).replace(".", "").replace("&", "")
        found = {
            uf.find(long)
            for d in forms[short].docs
            for long in by_doc.get(d, ())
            if initials_match(text, _ordered_words(forms[long]), optional)
        }
        if len(found) == 1:
            yield short, found.pop()


_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}


def _person_words(form: _Form, lex: Lexicon) -> tuple[bool, list[str]]:
    """(has a title, the name's words without titles and suffixes), lower case."""
    words = [w.casefold().rstrip(".") for w in _ordered_words(form)]
    titled = False
    while len(words) > 1 and words[0] in lex.person_titles:
        words, titled = words[1:], True
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words = words[:-1]
    return titled, words


def _person_links(
    forms: dict[tuple[str, ...], _Form], lex: Lexicon, uf: _UnionFind
) -> dict[tuple[str, ...], tuple[tuple[str, ...] | None, str]]:
    """A surname, a given name or a title + surname ("Mr. Loescher", "Garcia") joins the one
    full personal name of its documents it can mean; shared by two people, it joins neither.
    Returns every short form considered, with its target (or None)."""
    full: dict[str, list[tuple[tuple[str, ...], list[str]]]] = defaultdict(list)
    by_words: dict[tuple[str, ...], tuple[str, ...]] = {}
    for key, f in forms.items():
        if f.cls != "Person":
            continue
        titled, words = _person_words(f, lex)
        if len(words) >= 2 and not titled:
            by_words.setdefault(tuple(words), key)
            for d in f.docs:
                full[d].append((key, words))
    out: dict[tuple[str, ...], tuple[tuple[str, ...] | None, str]] = {}
    for key in sorted(forms):
        f = forms[key]
        if f.gazetteer:
            continue
        titled, words = _person_words(f, lex)
        if len(words) >= 2:
            target = by_words.get(tuple(words)) if titled else None
            if target is not None and target != key:
                out[key] = (target, "title + full name")
            continue
        if not (f.cls == "Person" or titled or not f.strong) or not words:
            continue
        word = words[0]
        cands = [(k, w) for d in f.docs for k, w in full.get(d, ()) if k != key]
        by_last = {uf.find(k) for k, w in cands if w[-1] == word}
        by_first = {uf.find(k) for k, w in cands if w[0] == word}
        if len(by_last) == 1:
            out[key] = (by_last.pop(), "surname of one full name in the document")
        elif not by_last and len(by_first) == 1:
            out[key] = (by_first.pop(), "given name of one full name in the document")
        elif by_last or by_first:
            out[key] = (None, "")  # shared by two people: neither
    return out


def _canonical(members: list[_Form], titles: frozenset[str] = frozenset()) -> str:
    """The fullest name used: most words, then most used, then alphabetical; for a
    person, a name without a title ("Tan See Leng", not "Dr Tan") when there is one."""
    texts: Counter[str] = Counter()
    for f in members:
        texts.update(f.texts)
    plain = {t: n for t, n in texts.items() if t.split()[0].casefold().rstrip(".") not in titles}
    if plain:
        texts = Counter(plain)
    if not texts:
        texts.update({a: 1 for f in members for a in f.aliases} or {" ".join(members[0].key): 1})
    return min(texts, key=lambda t: (-len(t.split()), -texts[t], t))
