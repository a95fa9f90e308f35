"""Appositions and titles: who holds which post where.

- "Dai Juan, Deputy General Manager of Saike …" (a person, then a title of an
  organisation in apposition) → worksFor, role "Deputy General Manager";
- "Deputy Director of the Maritime and Port Authority of Singapore, Sig, …"
  (the title first, the person in apposition) → worksFor;
- "Director of the Shipping Department of the … Management Committee" →
  worksFor the department, and (less surely) the body it belongs to;
- "Tesla CEO Elon Musk", "Saike's general manager Dai Juan" (organisation,
  title, name) → worksFor; "Chairman Zhao Lixin said …" right after a sentence
  about one company → worksFor that company (lower confidence);
- "X served as director of Y", "X is the chairman of Y" → worksFor;
  "Jack Ma, the founder of Alibaba Group" → founded;
- "Yang Quan, a delivery rider from Lincang" → relatedTo, predicate "from".

Titles are the ``[roles]`` of ``kg/ontology/lexicon.toml``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.tokens import Token

from kg.extract.registry import SentenceContext, extractors
from kg.extract.relations.common import Arg, SentenceIndex, fits, index, pobjs
from kg.model import Relation
from kg.vocab import is_subclass, top_class

__all__ = ["apposition", "employers", "role_phrase", "title"]

APPOSITION = "kg.apposition.v1"
TITLE = "kg.title.v1"

#: prepositions that attach a title to its organisation ("Director of", "professor at")
ROLE_PREPS = frozenset({"of", "at", "for", "with", "from"})
#: modifiers that belong to a title ("Deputy General Manager", "chief executive")
ROLE_MODIFIER_DEPS = frozenset({"compound", "amod"})

C_APPOS = 0.9
C_PARENT = 0.7
C_PREFIX = 0.85
C_CONTEXT = 0.5
C_ROLE_VERB = 0.8
C_AFFILIATION = 0.7
#: prefixes the tokenizer splits off a title with a hyphen
HYPHEN_PREFIXES = frozenset({"co", "vice", "deputy", "ex", "acting"})
#: prepositions after a person's name that give an affiliation ("X of Fudan University")
AFFILIATION_PREPS = frozenset({"of", "from", "at"})
C_ORIGIN = 0.6


def _role_heads(si: SentenceIndex) -> frozenset[str]:
    return frozenset(r.split()[-1] for r in si.lex.roles)


def role_phrase(si: SentenceIndex, tok: Token) -> str | None:
    """The title headed by ``tok`` ("Deputy General Manager"), or None if it is no title."""
    if tok.lower_ not in _role_heads(si) or si.arg_at(tok) is not None:
        return None
    start = tok.i
    while start > si.sent.start:
        prev = si.doc[start - 1]
        if prev.dep_ in ROLE_MODIFIER_DEPS and prev.i < prev.head.i <= tok.i and si.arg_at(prev) is None:
            start -= 1
            continue
        if prev.text == "-" and start - 2 >= si.sent.start:  # "co-founder", "vice-president"
            start -= 2
            continue
        break
    end = tok.i + 1
    if end + 1 < si.sent.end and si.doc[end].text == "-" and f"{tok.lower_}-{si.doc[end + 1].lower_}" in si.lex.roles:
        end += 2  # "secretary-general"
    return si.doc[start:end].text


def _org(arg: Arg) -> bool:
    """An organisation, or a name the NER alone called a product ("CEO of Maersk")."""
    return fits(arg, ("Organization",)) > 0 and top_class(arg.cls) != "Person"


def employers(si: SentenceIndex, role: Token) -> list[Arg]:
    """Organisations a title is attached to: "of X (of Y)", "X's", "X CEO"."""
    out: list[Arg] = []
    for c in role.children:
        if c.dep_ == "prep" and c.lower_ in ROLE_PREPS:
            for p in pobjs(c):
                for a in si.members(p):
                    if _org(a):
                        out.append(a)
        elif c.dep_ in ("poss", "compound", "nmod") and c.i < role.i:
            a = si.arg_at(c)
            if a is not None and _org(a):
                out.append(a)
    if len(out) == 1:  # "Director of the Shipping Department of the X Committee"
        node = out[0]
        while True:
            parents = [
                a
                for c in node.span.root.children
                if c.dep_ == "prep" and c.lower_ == "of"
                for p in pobjs(c)
                for a in si.members(p)
                if top_class(a.cls) == "Organization" and a.index not in {x.index for x in out}
            ]
            if not parents:
                break
            out.append(parents[0]._replace(hops=1))
            node = parents[0]
    return out


def _works_for(si: SentenceIndex, person: Arg, role: Token, text: str, name: str, conf: float) -> Iterator[Relation]:
    orgs = employers(si, role)
    if role.lower_ in si.trig.founder_titles:  # "Jack Ma, the founder of Alibaba"
        for org in orgs[:1]:
            yield si.relation(person, "founded", org._replace(hops=0), name, conf)
        return
    for n, org in enumerate(orgs):
        if n == 0 or org.hops == 0:
            yield si.relation(person, "worksFor", org._replace(hops=0), name, conf, role=text)
        else:
            yield si.relation(
                person, "worksFor", org._replace(hops=0), name, C_PARENT, role=f"{text}, {orgs[0].mention.text}"
            )


def _person(arg: Arg | None) -> bool:
    return arg is not None and is_subclass(arg.cls, "Person")


@extractors.register(APPOSITION)
def apposition(ctx: SentenceContext) -> Iterable[Relation]:
    """Titles and descriptions in apposition to a person's name."""
    if len(ctx.mentions) < 2:
        return []
    si = index(ctx)
    out: list[Relation] = []
    for arg in si.args:
        if not _person(arg) or arg.mention.kind != "name":
            continue
        root = arg.span.root
        # "Dai Juan, Deputy General Manager of Saike": the title is the name's apposition
        for c in root.children:
            if c.dep_ != "appos" or si.arg_at(c) is not None:
                continue
            text = role_phrase(si, c)
            if text:
                out.extend(_works_for(si, arg, c, text, APPOSITION, C_APPOS))
            else:
                out.extend(_origin(si, arg, c))
        # "Deputy Director of the X Authority, Sig, said": the name is the title's apposition
        if root.dep_ == "appos":
            text = role_phrase(si, root.head)
            if text:
                out.extend(_works_for(si, arg, root.head, text, APPOSITION, C_APPOS))
    out.extend(_role_verbs(si))
    return out


def _role_verbs(si: SentenceIndex) -> Iterator[Relation]:
    """ "X served as director of Y", "X is the chairman of Y", "X was named CEO of Y"."""
    for verb in si.sent:
        if verb.lemma_.lower() not in si.trig.role_verbs:
            continue
        roles = [c for c in verb.children if c.dep_ in ("attr", "oprd")]
        roles += [p for c in verb.children if c.dep_ == "prep" and c.lower_ == "as" for p in pobjs(c)]
        roles = [r for r in roles if r.pos_ in ("NOUN", "PROPN") and si.arg_at(r) is None]
        if not roles:
            continue
        people, inherited = si.patients(verb) if si.is_passive(verb) else si.surface_subjects(verb)
        if verb.lemma_.lower() in ("appoint", "name", "elect", "promote", "hire") and not si.is_passive(verb):
            people, inherited = si.patients(verb)
        conf = C_ROLE_VERB * (0.9 if inherited else 1.0)
        for role in roles:
            text = role_phrase(si, role)
            if not text:
                continue
            for person in people:
                if _person(person):
                    yield from _works_for(si, person, role, text, APPOSITION, conf)


def _origin(si: SentenceIndex, person: Arg, noun: Token) -> Iterator[Relation]:
    """ "Yang Quan, a delivery rider from Lincang" → relatedTo "from"."""
    if noun.pos_ != "NOUN":
        return
    for prep, place in si.prep_objects([noun], si.trig.origin_prepositions):
        if top_class(place.cls) == "Place":
            words = [t.text for t in si.doc[noun.left_edge.i : noun.i + 1] if t.pos_ != "DET"]
            yield si.relation(person, "relatedTo", place, APPOSITION, C_ORIGIN,
                              predicate_text=f"{' '.join(words)} {prep.lower_}")


@extractors.register(TITLE)
def title(ctx: SentenceContext) -> Iterable[Relation]:
    """A title written before a person's name: "Tesla CEO Elon Musk", "Chairman Zhao Lixin"."""
    if not ctx.mentions:
        return []
    si = index(ctx)
    out: list[Relation] = []
    for arg in si.args:
        if not _person(arg) or arg.mention.kind != "name":
            continue
        start, end = arg.span.start, arg.span.end
        # the title: words right before the name that modify a word of it or after them
        k = start - 1
        while (
            k >= si.sent.start
            and si.doc[k].dep_ in ROLE_MODIFIER_DEPS | {"nmod"}
            and k < si.doc[k].head.i < end
            and si.arg_at(si.doc[k]) is None
            and si.doc[k].is_alpha
        ):
            k -= 1
        if k - 1 >= si.sent.start and si.doc[k].text == "-" and si.doc[k - 1].lower_ in HYPHEN_PREFIXES:
            k -= 2  # "co-founder", "vice-president", split by the tokenizer
        heads = _role_heads(si)
        while k + 1 < start and k - 1 >= si.sent.start and si.doc[k].lower_ in ("and", "&") and si.doc[k - 1].lower_ in heads:
            k -= 2  # "President and CEO Stan Deal"
        text = si.doc[k + 1 : start].text if k + 1 < start and si.doc[start - 1].lower_ in heads else None
        # "(Professor) Chen Jie of Fudan University", "Anna Schmidt from the X Institute"
        affiliated = [
            org
            for _prep, org in si.prep_objects([arg.span.root], AFFILIATION_PREPS)
            if top_class(org.cls) == "Organization" and org.hops == 0
        ]
        if affiliated:
            for org in affiliated:
                out.append(si.relation(arg, "worksFor", org, TITLE, C_PREFIX if text else C_AFFILIATION, role=text))
            continue
        if text is None:
            continue
        org = si.arg_at(si.doc[k]) if k >= si.sent.start else None
        if org is None and k >= si.sent.start + 1 and si.doc[k].text in ("'s", "’s", ")"):
            org = si.arg_at(si.doc[k - 1])  # "Tesla's CEO X", "Tata Consultancy Services (TCS) CEO X"
        if org is not None and top_class(org.cls) == "Organization":
            if si.doc[start - 1].lower_ in si.trig.founder_titles:
                out.append(si.relation(arg, "founded", org, TITLE, C_PREFIX))
            else:
                out.append(si.relation(arg, "worksFor", org, TITLE, C_PREFIX, role=text))
            continue
        out.extend(_from_context(si, arg, text))
    return out


def _from_context(si: SentenceIndex, person: Arg, role: str) -> Iterator[Relation]:
    """ "One of the parties, Geke Micro Co., Ltd., … . Chairman Zhao Lixin said": the one
    organisation of the previous sentence, when this sentence names none."""
    if any(top_class(a.cls) == "Organization" for a in si.args):
        return
    prev = si.previous_sentence()
    if prev is None:
        return
    orgs = {}
    for idx, m in si.args_in(prev):
        if top_class(m.cls) == "Organization":
            orgs.setdefault(m.text, (idx, m))
    if len(orgs) != 1:
        return
    idx, m = next(iter(orgs.values()))
    span = si.doc.char_span(m.start - si.ctx.offset, m.end - si.ctx.offset, alignment_mode="expand")
    if span is None:
        return
    from dataclasses import replace

    rel = si.relation(person, "worksFor", Arg(idx, m, span), TITLE, C_CONTEXT, role=role)
    text = " ".join(si.doc.text[prev.start_char : si.sent.end_char].split())
    yield replace(rel, sentence=text, sent_start=si.ctx.offset + prev.start_char)
