"""What the relation extractors share: which mention a token stands for, the
members of a coordination, the subject and objects of a verb, and its voice.

Everything works on one parsed sentence (:class:`~kg.extract.registry.SentenceContext`)
and is computed once per sentence (:func:`index`), so that running several
extractors costs one pass over the sentence each, never a new spaCy pass.
Dependency labels are module constants, not strings scattered in code.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from spacy.tokens import Span, Token

from kg.extract.registry import SentenceContext
from kg.extract.relations.triggers import Triggers, load_triggers
from kg.model import Mention, Relation
from kg.vocab import is_subclass, top_class

__all__ = [
    "NOMINAL",
    "OBJ_DEPS",
    "PASSIVE_DEPS",
    "SUBJ_DEPS",
    "Arg",
    "SentenceIndex",
    "clamp",
    "fits",
    "index",
]

#: subjects of a clause (nominal and clausal, active and passive)
SUBJ_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass"})
#: children that mark a passive verb
PASSIVE_DEPS = frozenset({"auxpass", "nsubjpass", "csubjpass"})
#: direct objects
OBJ_DEPS = frozenset({"dobj", "obj"})
#: labels of a name's modifiers when the name premodifies a common noun
PREMODIFIER_DEPS = frozenset({"compound", "nmod", "amod"})
#: parts of speech that can head a noun phrase
NOMINAL = frozenset({"NOUN", "PROPN", "PRON", "NUM"})
#: relative pronouns that stand for the noun a relative clause modifies
RELATIVE_PRONOUNS = frozenset({"which", "that", "who", "whom", "whose"})
#: forms of "have" as a perfect auxiliary (the small model lemmatises "Having" as itself)
HAVE = frozenset({"have", "has", "had", "having", "'ve", "'d"})
#: classes the statistical NER confuses with one another
AGENTS = frozenset({"Person", "Organization", "Product"})
#: weight at or below which a mention's class is only a guess of the NER
WEAK_WEIGHT = 1.0
#: confidence factors
PENALTY_REFERENCE = 0.9  # an argument is a pronoun or description
PENALTY_INHERITED = 0.9  # the subject comes from a governing clause
PENALTY_HOP = 0.9  # the argument was reached through "N of X"
PENALTY_WEAK_CLASS = 0.85  # the argument's class fits only loosely


class Arg(NamedTuple):
    """A mention as an argument: its index in the document's mention list."""

    index: int
    mention: Mention
    span: Span
    hops: int = 0

    @property
    def cls(self) -> str:
        return self.mention.cls

    @property
    def is_reference(self) -> bool:
        return self.mention.kind in ("pronoun", "description")


def clamp(x: float) -> float:
    return round(min(1.0, max(0.0, x)), 4)


def fits(arg: Arg, classes: Sequence[str]) -> float:
    """How well ``arg``'s class meets ``classes``: 1.0, a weaker factor, or 0.0.

    A name typed only by the statistical NER (a weak vote) may stand for a
    person, an organisation or a product either way: the small model often
    calls a company a person, or a brand a product.
    """
    if not classes:
        return 1.0
    cls = arg.mention.cls
    if any(is_subclass(cls, c) for c in classes):
        return 1.0
    if cls == "Entity":
        return PENALTY_WEAK_CLASS
    weak = arg.mention.kind == "name" and arg.mention.weight <= WEAK_WEIGHT
    if weak and top_class(cls) in AGENTS and any(top_class(c) in AGENTS for c in classes):
        return PENALTY_WEAK_CLASS
    return 0.0


class SentenceIndex:
    """Token → mention lookups and clause structure of one sentence."""

    def __init__(self, ctx: SentenceContext, triggers: Triggers | None = None) -> None:
        self.ctx = ctx
        self.sent = ctx.sent
        self.doc = ctx.sent.doc
        self.lex = ctx.lex
        self.trig = triggers or load_triggers()
        self.token_arg: dict[int, Arg] = {}
        self.embedded: list[Arg] = []
        self.args: list[Arg] = []
        for idx, m, span in ctx.mentions:
            arg = Arg(idx, m, span)
            if m.kind == "embedded":
                self.embedded.append(arg)
                continue
            self.args.append(arg)
            for t in span:
                prev = self.token_arg.get(t.i)
                if prev is None or len(prev.span) < len(span):
                    self.token_arg[t.i] = arg
        # a name premodifying a common noun of its own class stands for that
        # noun: the "World Logistics Passport" program, the "Warm New Nest" station
        self.host: dict[int, Arg] = {}
        for arg in self.args:
            if arg.mention.kind != "name":
                continue
            root = arg.span.root
            head = root.head
            if (
                root.dep_ in PREMODIFIER_DEPS
                and head.i not in self.token_arg
                and head.pos_ == "NOUN"
                and self.sent.start <= head.i < self.sent.end
                and self._noun_fits(head, arg.mention.cls)
            ):
                self.host[head.i] = arg

    # ------------------------------------------------------------ lookups
    def _noun_fits(self, noun: Token, cls: str) -> bool:
        low = noun.lower_
        classes = list(self.lex.descriptions.get(low, ())) or [c for c in [self.lex.head_class([low])] if c]
        return any(top_class(c) == top_class(cls) for c in classes)

    def inside(self, tok: Token) -> bool:
        return self.sent.start <= tok.i < self.sent.end

    def arg_at(self, tok: Token) -> Arg | None:
        """The mention token ``tok`` is part of, or the name it is the head noun of."""
        return self.token_arg.get(tok.i) or self.host.get(tok.i)

    def node_of(self, arg: Arg) -> list[Token]:
        """The tokens that carry ``arg``'s syntactic relations: its root and its host noun."""
        nodes = [arg.span.root]
        for i, a in self.host.items():
            if a.index == arg.index:
                nodes.append(self.doc[i])
        return nodes

    def is_inclusion(self, prep: Token) -> bool:
        """ "including", "such as", "like": a preposition that introduces members."""
        low = prep.lower_
        if low in self.trig.inclusion:
            return True
        if low == "as":
            if any(c.lower_ == "such" for c in prep.children):
                return True
            return prep.i > 0 and self.doc[prep.i - 1].lower_ == "such"
        return False

    def of_hop(self, tok: Token) -> bool:
        """ "15 vehicles of four enterprises", "the banks of the river": look past "N of"."""
        if tok.lower_ in self.trig.of_hop or tok.lemma_.lower() in self.trig.of_hop:
            return True
        return any(c.dep_ == "nummod" for c in tok.children)

    # ------------------------------------------------------------ members
    def members(self, tok: Token, hops: int = 0) -> list[Arg]:
        """The entities a noun phrase headed by ``tok`` denotes (coordination distributed)."""
        out: list[Arg] = []
        self._members(tok, out, set(), hops)
        return out

    def _add(self, out: list[Arg], arg: Arg, hops: int) -> None:
        if all(a.index != arg.index for a in out):
            out.append(arg._replace(hops=hops))

    def _members(self, tok: Token, out: list[Arg], seen: set[int], hops: int) -> None:
        if tok.i in seen or not self.inside(tok):
            return
        seen.add(tok.i)
        arg = self.arg_at(tok)
        if arg is not None:
            self._add(out, arg, hops)
            span = arg.span
            for node in {arg.span.root, tok}:
                for c in node.children:
                    if span.start <= c.i < span.end:
                        continue
                    if c.dep_ == "conj" and c.pos_ in NOMINAL:
                        self._members(c, out, seen, hops)
                    elif c.dep_ == "prep" and self.is_inclusion(c):
                        for p in _pobjs(c):
                            self._members(p, out, seen, hops)
            return
        if tok.pos_ not in NOMINAL:
            return
        if tok.dep_ == "appos" and (head_arg := self.arg_at(tok.head)) is not None:
            self._add(out, head_arg, hops)  # "X, a company based in Y": the noun is X
            return
        for c in tok.children:
            if c.dep_ in ("conj", "appos") and c.pos_ in NOMINAL:
                self._members(c, out, seen, hops)
            elif c.dep_ == "prep":
                if self.is_inclusion(c):
                    for p in _pobjs(c):
                        self._members(p, out, seen, hops)
                elif c.lower_ == "of" and hops < 2 and self.of_hop(tok):
                    for p in _pobjs(c):
                        self._members(p, out, seen, hops + 1)

    # ------------------------------------------------------------ clauses
    def is_passive(self, verb: Token) -> bool:
        if any(c.dep_ in PASSIVE_DEPS for c in verb.children):
            return True
        if verb.tag_ != "VBN":
            return False
        if any(c.dep_ == "aux" and (c.lemma_.lower() == "have" or c.lower_ in HAVE) for c in verb.children):
            return False
        if verb.dep_ == "acl" or verb.dep_ == "advcl":
            return True  # "the company founded by him", "Located in X, the park ..."
        if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
            return self.is_passive(verb.head)
        return False

    def surface_subjects(self, verb: Token, depth: int = 0) -> tuple[list[Arg], bool]:
        """The grammatical subject's entities, and whether they come from another clause."""
        subjects = [c for c in verb.children if c.dep_ in SUBJ_DEPS]
        if subjects:
            if any(c.lower_ in RELATIVE_PRONOUNS for c in subjects):
                if verb.dep_ == "relcl":
                    return self.members(verb.head), True
                return [], False
            out: list[Arg] = []
            for c in subjects:  # several when the parser splits a subject ("co - founder James Peng")
                out.extend(a for a in self.members(c) if all(a.index != b.index for b in out))
            return out, False
        if depth > 3:
            return [], False
        dep, head = verb.dep_, verb.head
        if dep in ("acl", "relcl") and head.i != verb.i:
            return self.members(head), True
        if dep == "xcomp":
            objs = [c for c in head.children if c.dep_ in OBJ_DEPS]
            if objs:  # "help enterprises (to) expand": the object does it
                return self.members(objs[0]), True
            return self.surface_subjects(head, depth + 1)[0], True
        if dep in ("conj", "advcl") and head.pos_ in ("VERB", "AUX"):
            return self.surface_subjects(head, depth + 1)[0], True
        if dep == "pcomp" and head.dep_ == "prep" and head.head.pos_ in ("VERB", "AUX"):
            return self.surface_subjects(head.head, depth + 1)[0], True  # "After graduating from X, he ..."
        return self._detached_subjects(verb), False

    def _detached_subjects(self, verb: Token) -> list[Arg]:
        """A finite verb without a subject: the small parser's slips.

        Names before the verb attached as ``npadvmod``/``dep``, or an apposition
        whose class cannot be its head's ("the X Bureau, the "Y Exhibition" ...
        was launched"), are taken as the subject.
        """
        if verb.dep_ not in ("ROOT", "conj", "ccomp"):
            return []
        out: list[Arg] = []
        for c in verb.children:
            if c.dep_ in ("npadvmod", "dep") and c.i < verb.i and self.arg_at(c) is not None:
                out.extend(a for a in self.members(c) if all(a.index != b.index for b in out))
        if out:
            return out
        best: Arg | None = None
        for arg in self.args:
            root = arg.span.root
            if root.i >= verb.i or root.dep_ != "appos":
                continue
            head_arg = self.arg_at(root.head)
            if head_arg is not None and top_class(head_arg.cls) != top_class(arg.cls):
                best = arg
        return [best] if best is not None else []

    def agents(self, verb: Token) -> tuple[list[Arg], bool]:
        if self.is_passive(verb):
            out: list[Arg] = []
            for c in verb.children:
                if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by"):
                    for p in _pobjs(c):
                        out.extend(self.members(p))
            return out, False
        return self.surface_subjects(verb)

    def patients(self, verb: Token) -> tuple[list[Arg], bool]:
        if self.is_passive(verb):
            return self.surface_subjects(verb)
        out: list[Arg] = []
        for c in verb.children:
            if c.dep_ in OBJ_DEPS:
                out.extend(self.members(c))
        return out, False

    def dobjs(self, verb: Token) -> list[Token]:
        return [c for c in verb.children if c.dep_ in OBJ_DEPS]

    def prep_objects(self, heads: Iterable[Token], preps: frozenset[str]) -> list[tuple[Token, Arg]]:
        """(preposition, argument) pairs of ``preps`` attached to any of ``heads``."""
        out: list[tuple[Token, Arg]] = []
        for h in heads:
            for c in h.children:
                if c.dep_ not in ("prep", "agent", "dative") or c.lower_ not in preps:
                    continue
                for p in _pobjs(c):
                    for a in self.members(p):
                        if all(a.index != b.index for _, b in out):
                            out.append((c, a))
        return out

    def verb_keys(self, verb: Token) -> set[str]:
        """The lemma, and lemma + particle / lemma + object noun ("set up", "take part")."""
        lemma = verb.lemma_.lower()
        keys = {lemma}
        for c in verb.children:
            if c.dep_ == "prt":
                keys.add(f"{lemma} {c.lower_}")
            elif c.dep_ in OBJ_DEPS:
                keys.add(f"{lemma} {c.lemma_.lower()}")
                keys.add(f"{lemma} {c.lower_}")
        return keys

    def verbs(self) -> Iterator[Token]:
        for tok in self.sent:
            if tok.pos_ == "VERB" or (tok.pos_ == "AUX" and tok.dep_ in ("ROOT", "conj", "ccomp", "relcl")):
                yield tok

    # ------------------------------------------------------------ output
    def relation(
        self,
        subject: Arg,
        prop: str,
        obj: Arg,
        extractor: str,
        confidence: float,
        *,
        role: str | None = None,
        predicate_text: str | None = None,
    ) -> Relation:
        if subject.is_reference:
            confidence *= PENALTY_REFERENCE
        if obj.is_reference:
            confidence *= PENALTY_REFERENCE
        confidence *= PENALTY_HOP ** (subject.hops + obj.hops)
        return self.ctx.relation(
            subject.index, prop, obj.index, extractor, clamp(confidence), role=role, predicate_text=predicate_text
        )

    # ------------------------------------------------------------ context
    def previous_sentence(self) -> Span | None:
        start = self.sent.start
        if start == 0:
            return None
        return self.doc[start - 1].sent

    def args_in(self, span: Span) -> list[tuple[int, Mention]]:
        """Name mentions of the document inside ``span`` (another sentence of this paragraph)."""
        lo, hi = self.ctx.offset + span.start_char, self.ctx.offset + span.end_char
        return [
            (i, m)
            for i, m in enumerate(self.ctx.all_mentions)
            if lo <= m.start and m.end <= hi and m.kind in ("name", "acronym")
        ]

    def mention_at_char(self, tok: Token) -> tuple[int, Mention] | None:
        pos = self.ctx.offset + tok.idx
        for i, m in enumerate(self.ctx.all_mentions):
            if m.start <= pos < m.end and m.kind != "embedded":
                return i, m
        return None


def _pobjs(prep: Token) -> list[Token]:
    return [c for c in prep.children if c.dep_ in ("pobj", "pcomp") and c.pos_ in NOMINAL]


_CACHE: list[tuple[SentenceContext, SentenceIndex]] = []


def index(ctx: SentenceContext) -> SentenceIndex:
    """The :class:`SentenceIndex` of ``ctx``, built once for all extractors of a sentence."""
    if _CACHE and _CACHE[0][0] is ctx:
        return _CACHE[0][1]
    idx = SentenceIndex(ctx)
    _CACHE[:] = [(ctx, idx)]
    return idx


def pobjs(prep: Token) -> list[Token]:
    """The objects of a preposition."""
    return _pobjs(prep)
