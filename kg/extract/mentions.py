"""Find the name mentions of one paragraph (a spaCy ``Doc``).

Three sources of candidate spans, merged without overlap:

1. *name chunks*: runs of capitalised words (with "of", "and", "Co., Ltd."
   inside) whose head noun is a cue from the lexicon ("… Industrial Zone",
   "Ministry of …"); leading job titles are stripped and "X of Y" is split when
   both halves are names of their own;
2. *quoted names*: title-case text in quotes followed or headed by a cue noun
   (``"World Logistics Passport" program``);
3. the statistical NER and the gazetteer ruler (``doc.ents``).

Each mention gets a class vote: gazetteer (strongest), a head-noun or
category cue, the learned type model (:mod:`kg.extract.entity_types`), else the
NER label (weakest). News furniture is cut away first: a name never crosses a
line break or a credit slash, a possessive place, "X-based" or a dateline is a
place of its own, and a lone legal form or generic body is no name. Pronouns and definite descriptions
("it", "the park") are returned as unresolved reference mentions.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from kg.extract.entity_types import TypeModel, coarse_of, load_type_model, mention_features
from kg.extract.places import geonames_iri, place_senses
from kg.lexicon import GazetteerEntry, Lexicon, gazetteer_index
from kg.model import Mention
from kg.resolve import initials_match
from kg.vocab import top_class

__all__ = ["find_mentions", "clean_name", "is_headline"]

GAZETTEER_RULER = "kg_gazetteer"

#: class-vote weights per source
W_GAZETTEER = 10.0
W_HEAD = 3.0
W_CATEGORY = 3.0
W_CONTEXT = 2.0
W_NER = 1.0

#: span priority when candidates overlap (higher wins, then longer)
P_CHUNK, P_GAZ, P_NER = 3, 2, 1

_QUOTES = {'"', "“", "”", "„", "«", "»"}
_POSSESSIVE = {"'s", "’s", "'", "’"}
_CLOSED_POS = {"ADP", "DET", "PRON", "CCONJ", "SCONJ", "AUX", "PART", "PUNCT", "SPACE", "SYM", "INTJ"}
_LEGAL_JOIN = {"ltd.", "ltd", "inc.", "inc", "llc", "plc", "limited", "corp.", "ag", "gmbh"}


@dataclass
class _Cand:
    start: int  # token index (inclusive)
    end: int  # token index (exclusive)
    cls: str | None
    weight: float
    label: str
    priority: int
    same_as: str | None = None
    full: str | None = None


def is_headline(doc: Doc) -> bool:
    """True for title-case text (headlines), where capitalisation tells nothing."""
    text = doc.text.rstrip()
    if text.endswith((".", "!", "。", ";")):
        return False
    words = [t for t in doc if t.is_alpha and len(t) > 3]
    if len(words) < 4:
        return False
    caps = sum(1 for t in words if t.text[0].isupper())
    return caps / len(words) >= 0.6


def clean_name(text: str) -> str:
    """Surface form without quotes, leading "the", possessive or line breaks.

    >>> clean_name('the "Lingang New Area\\'s')
    'Lingang New Area'
    """
    text = " ".join(text.split())
    text = text.strip("\"“”„«»'‘’ ,;:")
    text = re.sub(r"^(?:the|The|THE)\s+", "", text)
    text = re.sub(r"(?:'s|’s|'|’)$", "", text).strip("\"“”„«»'‘’ ,;:")
    if text.endswith(".") and not _ABBREVIATION.search(text):
        text = text[:-1].rstrip()
    return text


_ABBREVIATION = re.compile(r"(?:^|\s)(?:[A-Z][a-z]{0,3}\.|(?:[A-Za-z]\.){2,})$")


# ----------------------------------------------------------------- name chunks


def _is_cap(tok: Token) -> bool:
    t = tok.text
    return bool(t) and (t[0].isupper() or (t[0].isdigit() and any(c.isalpha() for c in t))) and not tok.is_punct


def _name_word(tok: Token) -> bool:
    if not _is_cap(tok) or tok.pos_ in _CLOSED_POS - {"PART"}:
        return False
    if tok.is_sent_start and tok.tag_ != "NNP":
        return False
    return True


def _chunks(sent: Span, lex: Lexicon) -> Iterable[tuple[int, int]]:
    """Maximal runs of name words joined by connectors (token index ranges)."""
    doc = sent.doc
    i, end = sent.start, sent.end
    while i < end:
        first = doc[i]
        if (
            not _name_word(first)
            or first.pos_ not in ("PROPN", "NOUN", "ADJ", "NUM")
            or first.lower_ in lex.not_name_start and not _is_role_start(doc, i, lex)
        ):
            i += 1
            continue
        j = i + 1
        last_word = i
        while j < end:
            tok = doc[j]
            low = tok.lower_
            if _name_word(tok):
                last_word = j
                j += 1
            elif low in lex.connectors and j + 1 < end:
                j += 1
            elif tok.text in _POSSESSIVE and j + 1 < end and _name_word(doc[j + 1]):
                j += 1
            elif tok.text == "," and j + 1 < end and doc[j + 1].lower_ in _LEGAL_JOIN and doc[j - 1].lower_ in ("co.", "co"):
                j += 1
            elif tok.text == "(" and j + 2 < end and _name_word(doc[j + 1]) and doc[j + 2].text == ")":
                j += 3
                last_word = j - 1
            else:
                break
        yield i, last_word + 1
        i = max(j, i + 1)


def _is_role_start(doc: Doc, i: int, lex: Lexicon) -> bool:
    return doc[i].lower_ in lex.role_words


def _strip_role(doc: Doc, start: int, end: int, lex: Lexicon) -> tuple[int, str | None]:
    """Drop a leading job title ("Deputy Director of the …", "CEOs of the …"); return new
    start and the title."""
    words = [t.lower_ for t in doc[start:end]]
    for role in lex.roles:
        parts = role.split()
        head = words[: len(parts)]
        if head == parts or (len(head) == len(parts) and head[:-1] == parts[:-1] and head[-1] == parts[-1] + "s"):
            k = start + len(parts)
            if k < end and doc[k].lower_ in ("of", "at", "for"):
                k += 1
                if k < end and doc[k].lower_ == "the":
                    k += 1
                return k, doc[start : start + len(parts)].text
            if k < end:  # "Chairman Zhao Lixin"
                return k, doc[start : start + len(parts)].text
            return end, doc[start:end].text
    return start, None


def _words(doc: Doc, start: int, end: int) -> list[str]:
    return [t.lower_ for t in doc[start:end] if not t.is_punct and t.text not in _POSSESSIVE]


def _distinctive(words: Sequence[str], lex: Lexicon) -> bool:
    return any(w not in lex.generic and w not in lex.connectors and w.isalpha() for w in words)


def _name_class(doc: Doc, start: int, end: int, lex: Lexicon) -> str | None:
    """Class cued by the head of the name, or by the head of "X of Y"'s X."""
    words = _words(doc, start, end)
    if not words:
        return None
    for k in range(start + 1, end):
        if doc[k].lower_ == "of":  # the head of "X of Y" is X's head
            cls = lex.head_class(_words(doc, start, k))
            if cls:
                return cls
            break
    return lex.head_class(words)


def _split_of(doc: Doc, start: int, end: int, lex: Lexicon) -> list[tuple[int, int]]:
    """Split "X of (the) Y" when X and Y are both names with a cue head."""
    for k in range(start + 1, end - 1):
        if doc[k].lower_ != "of":
            continue
        y = k + 1 + (doc[k + 1].lower_ == "the")
        x_words, y_words = _words(doc, start, k), _words(doc, y, end)
        if (
            len(x_words) >= 2
            and lex.head_class(x_words)
            and lex.head_class(y_words)
            and len(y_words) >= 2
            and _distinctive(y_words, lex)
        ):
            return [(start, k), (y, end)]
        if lex.head_class(y_words) and all(t.ent_type_ == "PERSON" for t in doc[start:k]):
            return [(start, k), (y, end)]  # "(Professor) Chen Jie of Fudan University": a person of an institution
        break
    return [(start, end)]


def _split_and(doc: Doc, start: int, end: int, lex: Lexicon) -> list[tuple[int, int]]:
    """Split "A Museum and the B Center" into two names when both have cue heads."""
    for k in range(start + 1, end - 1):
        if doc[k].lower_ not in ("and", "&"):
            continue
        the = doc[k + 1].lower_ == "the"  # "A and the B": a new noun phrase starts
        y = k + 1 + the
        x_words, y_words = _words(doc, start, k), _words(doc, y, end)
        if len(y_words) >= 2 and _name_class(doc, y, end, lex) and (
            the or len(x_words) >= 2 and _name_class(doc, start, k, lex)
        ):
            return [(start, k), *_split_and(doc, y, end, lex)]
    return [(start, end)]


def _list_candidates(doc: Doc, start: int, end: int, lex: Lexicon) -> Iterable[_Cand]:
    """Names without a cue head listed after a category noun ("enterprises, including A and B")."""
    parts, s = [], start
    for k in range(start, end + 1):
        if k == end or doc[k].lower_ in ("and", "&") or doc[k].text == ",":
            if k > s:
                parts.append((s, k))
            s = k + 1
    for s, e in parts:
        cat = _category_class(doc, s, e, lex)
        if cat and _distinctive(_words(doc, s, e), lex):
            yield _Cand(s, e, cat, W_CATEGORY, "LIST", P_CHUNK)


def _quote_ranges(sent: Span) -> list[tuple[int, int]]:
    marks = [t.i for t in sent if t.text in _QUOTES]
    return [(marks[k] + 1, marks[k + 1]) for k in range(0, len(marks) - 1, 2)]


def _chunk_candidates(sent: Span, lex: Lexicon) -> Iterable[_Cand]:
    doc = sent.doc
    quotes = _quote_ranges(sent)
    for start, end in _chunks(sent, lex):
        # part of a quoted title ("Guarding the Blue Ocean") is not a name of its own
        if any(a <= start and end <= b and (a, b) != (start, end) for a, b in quotes):
            continue
        start, _role = _strip_role(doc, start, end, lex)
        while start < end and (doc[start].lower_ in lex.connectors or doc[start].is_punct):
            start += 1
        if end - start < 1:
            continue
        if _name_class(doc, start, end, lex) is None:
            yield from _list_candidates(doc, start, end, lex)
            continue
        for a, b in _split_and(doc, start, end, lex):
            a = _strip_role(doc, a, b, lex)[0]  # "X Committee and Chairman of Y Group"
            if a < b:
                yield from _named_parts(doc, a, b, lex)


def _named_parts(doc: Doc, start: int, end: int, lex: Lexicon) -> Iterable[_Cand]:
    if True:
        parts = _split_of(doc, start, end, lex)
        full = doc[start:end].text if len(parts) > 1 else None
        for n, (s, e) in enumerate(parts):
            cls = _name_class(doc, s, e, lex)
            if cls is None or len(_words(doc, s, e)) < 2:
                continue
            yield _Cand(s, e, cls, W_HEAD, "CHUNK", P_CHUNK, full=full if n == 0 else None)


# ----------------------------------------------------------------- quoted names


def _following_nouns(doc: Doc, i: int, limit: int) -> list[str]:
    """The lower-case noun run right after token ``i`` (``["service", "station"]``)."""
    words: list[str] = []
    for k in range(i, min(limit, i + 6)):
        tok = doc[k]
        if tok.pos_ not in ("NOUN", "ADJ") or _is_cap(tok):
            break
        words.append(tok.lower_)
        if tok.pos_ == "NOUN" and tok.dep_ not in ("compound", "amod", "nmod"):
            break  # the head of the noun phrase ("program" in "program last year")
    while words and doc[i + len(words) - 1].pos_ != "NOUN":
        words.pop()
    return words


def _quoted_candidates(sent: Span, lex: Lexicon) -> Iterable[_Cand]:
    doc = sent.doc
    for a1, b in _quote_ranges(sent):
        a = a1 - 1
        if b - a < 3:
            continue
        inner = [t for t in doc[a + 1 : b] if t.is_alpha]
        if not inner or not inner[0].text[0].isupper():
            continue
        caps = sum(1 for t in inner if t.text[0].isupper())
        if caps / len(inner) < 0.6 or caps < 2:
            continue
        after = _following_nouns(doc, b + 1, sent.end)
        cls = (lex.head_class(after) or _description_class(after[-1], lex)) if after else None
        if cls is None:
            # a title in quotes headed by a place noun is rarely a place ("Guarding the Blue Ocean")
            cls = _name_class(doc, a + 1, b, lex)
            if cls is None or top_class(cls) == "Place":
                continue
        yield _Cand(a + 1, b, cls, W_HEAD, "QUOTED", P_CHUNK + 1)


def _description_class(noun: str, lex: Lexicon) -> str | None:
    classes = lex.descriptions.get(noun)
    return classes[0] if classes else None


# ----------------------------------------------------------------- NER / gazetteer


_CURRENCY_NOUNS = {"dollar", "dollars", "cents", "yuan", "pound", "pounds", "euro", "euros"}


def _ent_candidates(doc: Doc, lex: Lexicon, gazetteer: Mapping[str, GazetteerEntry] | None) -> Iterable[_Cand]:
    for ent in doc.ents:
        if ent.end < len(doc) and doc[ent.end].lower_ in _CURRENCY_NOUNS:
            continue  # "US dollars" names a currency, not the country
        if ent.ent_id_ and ent.ent_id_.count("|") >= 2:  # from the gazetteer ruler
            nxt = doc[ent.end] if ent.end < len(doc) else None
            if nxt is not None and nxt.tag_ in ("NNP", "NNPS") and _is_cap(nxt) and nxt.ent_iob_ != "B":
                continue  # the start of a longer unknown name ("SAIC MG"), not the gazetteer entity
            cls, qid, _name = ent.ent_id_.split("|", 2)
            yield _Cand(ent.start, ent.end, cls, W_GAZETTEER, "GAZ", P_GAZ, same_as=qid or None)
            continue
        ner_cls = lex.ner_labels.get(ent.label_)
        if ner_cls is None:
            continue
        known = gazetteer.get(clean_name(ent.text)) if gazetteer else None
        if known is not None:
            yield _Cand(ent.start, ent.end, known.cls, W_GAZETTEER, "GAZ", P_GAZ, same_as=known.wikidata)
            continue
        head_cls = _name_class(doc, ent.start, ent.end, lex)
        if head_cls:
            yield _Cand(ent.start, ent.end, head_cls, W_HEAD, ent.label_, P_NER)
        else:
            yield _Cand(ent.start, ent.end, ner_cls, W_NER, ent.label_, P_NER)


# ----------------------------------------------------------------- context cues


def _category_class(doc: Doc, start: int, end: int, lex: Lexicon) -> str | None:
    """"four enterprises, including A and B" → the class of "enterprises"."""
    root = doc[start:end].root
    while root.dep_ == "conj" and root.head.i != root.i:
        root = root.head
    head = root.head
    if root.dep_ == "pobj" and head.lower_ in ("including", "include", "as") or root.dep_ == "appos":
        node = head
        if node.lower_ == "as" and node.head.lower_ == "such":
            node = node.head
        for _ in range(3):
            if node.lower_ in lex.categories:
                return lex.categories[node.lower_]
            if node.head.i == node.i:
                break
            node = node.head
    return None


def _role_person_candidates(doc: Doc, taken: list[bool], lex: Lexicon) -> Iterable[_Cand]:
    """"Deputy Director of …, Sig, called" → "Sig" is a person."""
    for tok in doc:
        if tok.dep_ != "appos" or taken[tok.i] or tok.tag_ != "NNP" or not tok.is_title:
            continue
        if tok.head.lower_ in lex.role_words:
            start = tok.i
            while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].tag_ == "NNP" and not taken[start - 1]:
                start -= 1
            yield _Cand(start, tok.i + 1, "Person", W_CONTEXT, "ROLE", P_NER)


_LOCATIVE = {"in", "from", "at", "near", "of", "to", "outside", "around"}


def _settlements_before_regions(doc: Doc, chosen: list[_Cand]) -> None:
    """"from Lincang, Yunnan": a name after a locative preposition and before
    ", <province or country>" is a city, whatever label the NER gave it."""
    for a, b in zip(chosen, chosen[1:]):
        if (
            a.weight <= W_NER
            and a.start > 0
            and doc[a.start - 1].lower_ in _LOCATIVE
            and b.start == a.end + 1
            and doc[a.end].text == ","
            and b.label == "GAZ"
            and b.cls in ("AdministrativeArea", "Country")
        ):
            a.cls, a.weight = "City", W_CONTEXT


_LIST_JOINERS = {",", "and", "or", "&"}


def _share_list_class(doc: Doc, chosen: list[_Cand]) -> None:
    """ "Tesla, SAIC MG and other vehicles": a name the NER alone typed (often a company
    called a person) takes the organisation class of a surely typed name next to it in a list."""
    for n, c in enumerate(chosen):
        if c.weight > W_NER or top_class(c.cls or "Entity") not in ("Person", "Organization"):
            continue
        for d in chosen[max(0, n - 1) : n + 2]:
            if d is c or d.weight < W_HEAD or top_class(d.cls or "Entity") != "Organization":
                continue
            gap = doc[d.end : c.start] if d.end <= c.start else doc[c.end : d.start]
            if 0 < len(gap) <= 2 and all(t.lower_ in _LIST_JOINERS for t in gap):
                c.cls, c.weight = d.cls, W_CONTEXT
                break


# ----------------------------------------------------------------- news furniture


#: words of a photo credit ("[Photo/Xinhua]", "PHOTO: ST FILE") that name nothing
_CREDIT_WORDS = {"photo", "photos", "file", "image", "images", "video", "picture", "pictures", "credit", "courtesy"}
#: "Paris-based", "Texas-headquartered": the place before the hyphen qualifies the name after it
_BASED = {"based", "headquartered"}
_DATELINE_END = {",", "(", "—", "–", "-", ":"}
#: tokens a name never runs across (besides a line break)
_CUTS = {"/", "|", "(", ")", "[", "]", "—"}


#: capitalised words that name no one body on their own ("the Board of Directors", "Government")
_GENERIC_BODIES = {"board", "directors", "government", "management", "administration", "of", "the"}


def _generic(text: str, lex: Lexicon) -> bool:
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", text)]
    return bool(words) and all(w in lex.descriptions or w in _GENERIC_BODIES for w in words)


def _only_legal_form(text: str, lex: Lexicon) -> bool:
    """ "S.A.", "Corp.": a legal form is part of a company's name, never a name alone."""
    words = text.replace(",", " ").split()
    return bool(words) and all(w.lower() in lex.legal_forms or w.lower().rstrip(".") in lex.legal_forms for w in words)


def _is_place_name(doc: Doc, start: int, end: int) -> bool:
    return end > start and bool(place_senses(doc[start:end].text))


def _furniture_split(doc: Doc, chosen: list[_Cand], lex: Lexicon) -> Iterable[tuple[_Cand, int, int, bool]]:
    """Each candidate's pieces (token ranges) and whether a piece is a qualifying place.

    A name never runs across a line break (a byline "By Liu Jianing" / "China.org.cn"),
    a slash of a credit ("Photo/Xinhua"), a bracket ("School of Medicine (LASM)": the
    acronym is a mention of its own; "economy. [Photo") or an em dash; credit words
    alone are dropped; a
    possessive place ("India's X Corporation"), "X-based" and a capitalised dateline
    ("MEXICO CITY (Reuters) —") leave the name as places of their own."""
    for c in chosen:
        cuts = [c.start]
        k = c.start
        while k < c.end:
            tok = doc[k]
            if tok.text == "(" and (close := _inner_bracket(doc, k, c.end)) is not None:
                k = close + 1  # "China (Guangxi) Pilot Free Trade Zone": the name goes on after it
                continue
            if tok.is_space and "\n" in tok.text or tok.text in _CUTS:
                cuts += [k, k + 1]
            k += 1
        cuts.append(c.end)
        for a, b in zip(cuts[::2], cuts[1::2]):
            words = [t.lower_ for t in doc[a:b] if not t.is_punct]
            if not words or all(w in _CREDIT_WORDS for w in words):
                continue
            if doc[a:b].text.isupper():  # "PHOTO: ST FILE": the outlet is "ST"
                while b > a and doc[b - 1].lower_ in _CREDIT_WORDS:
                    b -= 1
                while a < b and (doc[a].lower_ in _CREDIT_WORDS or doc[a].is_punct):
                    a += 1
            yield from _place_prefix(doc, c, a, b)


def _inner_bracket(doc: Doc, k: int, end: int) -> int | None:
    """Where the bracket opened at ``k`` closes, when a name word follows it before
    ``end``: a bracket inside a name; None for one that ends it ("X (ABC)") or stays open."""
    for j in range(k + 1, end - 1):
        if doc[j].text == ")":
            return j if doc[j + 1].is_alpha else None
    return None


def _place_prefix(doc: Doc, c: _Cand, a: int, b: int) -> Iterable[tuple[_Cand, int, int, bool]]:
    for k in range(a + 1, b - 1):
        tok = doc[k]
        if tok.text in _POSSESSIVE and _is_place_name(doc, a, k) and top_class(c.cls or "Entity") != "Place":
            yield c, a, k, True
            yield c, k + 1, b, False
            return
        if tok.lower_ in _BASED and doc[k - 1].text in ("-", "–") and _is_place_name(doc, a, k - 1):
            yield c, a, k - 1, True
            if k + 1 < b:
                yield c, k + 1, b, False
            return
    if a == 0 and doc[a:b].text.isupper() and b < len(doc) and doc[b].text in _DATELINE_END and _is_place_name(doc, a, b):
        yield c, a, b, True  # a dateline
        return
    yield c, a, b, False


# ----------------------------------------------------------------- learned types


#: the type model overrides a bare NER label when its class has this probability,
#: and a head-noun or category cue only above LEARNED_STRONG
LEARNED_MIN = 0.5
LEARNED_STRONG = 0.95
_MISC_BY_NER = {"EVENT": "Event", "LAW": "Program", "PRODUCT": "Product", "WORK_OF_ART": "Product"}


def _learned_class(
    doc: Doc, start: int, end: int, text: str, cls: str | None, weight: float, lex: Lexicon, model: TypeModel
) -> tuple[str | None, float, str | None]:
    """Class, vote weight and GeoNames link of a mention, with the type model's view.

    The model decides the coarse class (person, organisation, place, other) where
    the cues are weak; the finer class comes from the cues, the GeoNames sense of
    the name, or the NER label."""
    probs = model.probs(mention_features(doc, start, end, lex.head_class(_words(doc, start, end))))
    best = max(probs, key=probs.__getitem__)
    current = coarse_of(top_class(cls)) if cls else None
    if best != current and (probs[best] < LEARNED_MIN or weight > W_CONTEXT and probs[best] < LEARNED_STRONG):
        best = current or best
    if best == current and weight > W_NER:
        fine = cls
    elif best == "PER":
        fine = "Person"
    elif best == "ORG":
        fine = cls if current == "ORG" else "Organization"
    elif best == "LOC":
        fine = cls if current == "LOC" else "Place"
    else:
        fine = cls if current == "MISC" else _MISC_BY_NER.get(doc[start:end].root.ent_type_, "Product")
    if best != current:
        weight = W_CONTEXT
    same_as = None
    if best == "LOC":
        senses = place_senses(text)
        if senses:
            same_as = geonames_iri(senses[0].geonameid) if senses[0].geonameid else None
            # a country is a country; otherwise GeoNames only refines a place the
            # cues had not seen as one ("Debrecen" the NER took for a person)
            if weight <= W_CONTEXT and (senses[0].kind == "country" or current != "LOC"):
                fine = senses[0].cls
    return fine, weight, same_as


# ----------------------------------------------------------------- references


#: determiners that make a noun a definite description ("the park", "this exhibition")
_DEFINITE = {"the", "this"}
#: clausal complements that an expletive "it" stands in for ("It is expected that …")
_EXTRAPOSED = {"ccomp", "xcomp", "csubj", "pcomp"}


def _extraposed(clause: Token) -> bool:
    """A "that …" or "to …" clause (or a gerund after "worth")."""
    if clause.dep_ not in _EXTRAPOSED:
        return False
    return clause.tag_ == "VBG" or any(c.dep_ in ("mark", "aux") and c.lower_ in ("that", "to", "whether", "if") for c in clause.children)


def _expletive(tok: Token) -> bool:
    """ "It is understood that …", "it is worth noting that …": "it" refers to nothing."""
    if tok.lower_ != "it" or tok.dep_ not in ("nsubj", "nsubjpass", "expl"):
        return tok.dep_ == "expl"
    head = tok.head
    if head.lemma_ != "be" and not any(c.dep_ == "auxpass" for c in head.children):
        return False
    for c in head.children:
        if c.i < head.i:
            continue
        if _extraposed(c) or c.dep_ == "acomp" and any(_extraposed(g) for g in c.children):
            return True
    return False


def _reference_mentions(doc: Doc, taken: list[bool], lex: Lexicon) -> Iterable[tuple[int, int, str]]:
    for tok in doc:
        if taken[tok.i]:
            continue
        low = tok.lower_
        if low in lex.pronouns and tok.pos_ == "PRON":
            if not _expletive(tok):
                yield tok.i, tok.i + 1, "pronoun"
        elif (
            low in lex.descriptions
            and tok.pos_ == "NOUN"
            and tok.i > 0
            and doc[tok.i - 1].lower_ in _DEFINITE
            and tok.dep_ != "compound"
        ):
            yield tok.i - 1, tok.i + 1, "description"


#: a web domain ("China.org.cn", "zj.people.cn", "Reuters.com")
_DOMAIN = re.compile(r"(?:[A-Za-z0-9-]+\.)+(?:com|net|org|gov|edu|info|news|io|co|cn|uk|de|fr|jp|in|sg|au|ca|ru|kr|hk|tw)", re.I)

#: the label of a facility named by a description built on a name ("Thuringia plant")
FACILITY = "FACILITY"


def _facility_end(doc: Doc, start: int, end: int, taken: list[bool], lex: Lexicon) -> int | None:
    """Where "Thuringia plant", "Yiwu land port", "Shulanghu ore transit dock" end: a name that
    modifies a lower-case noun phrase headed by a facility noun of the lexicon (at most three
    words), which names the facility."""
    j = end
    while j < len(doc) and j - end < 3 and not taken[j] and doc[j].pos_ == "NOUN" and doc[j].is_lower:
        j += 1
    while j > end and lex.heads.get(doc[j - 1].lower_) != "Facility":
        j -= 1
    if j == end or not (end <= doc[start:end].root.head.i < j):
        return None
    return j


#: a word of direction is no name on its own ("North", "the West")
_DIRECTIONS = {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"}
_SCALES = {"million", "billion", "trillion", "bn", "mn", "m", "k"}


@functools.lru_cache(maxsize=1)
def _currency_codes() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.currencies)


def _no_name(span: Span) -> bool:
    """An amount of money ("USD 29.44", "EUR 47-billion") or a lone direction ("North")."""
    if span[0].text not in _currency_codes():
        return len(span) == 1 and span[0].lower_ in _DIRECTIONS
    if len(span) == 1:  # "USD" of "USD 29.44"
        return span.end < len(span.doc) and (span.doc[span.end].like_num or span.doc[span.end].text[:1].isdigit())
    return all(_amount_word(t) for t in span[1:])


def _amount_word(tok: Token) -> bool:
    """A number, a scale ("billion") or a hyphenation of them ("47-billion")."""
    if tok.like_num or tok.lower_ in _SCALES or tok.text in "-.,":
        return True
    return all(p.replace(".", "").replace(",", "").isdigit() or p.lower() in _SCALES for p in tok.text.split("-") if p)


def _embedded(doc: Doc, offset: int, mentions: list[Mention]) -> Iterable[Mention]:
    """ "Lingang New Area" inside "Lingang New Area Management Committee": a body named
    after the place it governs (heads listed in ``kg/ontology/relations.toml``)."""
    from kg.extract.relations.triggers import load_triggers

    trig = load_triggers()
    for m in mentions:
        if m.kind != "name" or top_class(m.cls) != "Organization":
            continue
        span = doc.char_span(m.start - offset, m.end - offset, alignment_mode="expand")
        if span is None:
            continue
        words: list[str] = []  # "people 's" is one word, "people's"
        for t in span:
            if t.text in _POSSESSIVE and words:
                words[-1] += t.lower_.replace("’", "'")
            else:
                words.append(t.lower_)
        for head in trig.administrative_heads:
            if len(words) > len(head) and tuple(words[-len(head) :]) == head:
                end = span.end - len(head) - sum(1 for t in span[-len(head) - 1 :] if t.text in _POSSESSIVE)
                while end > span.start and doc[end - 1].lower_ in trig.administrative_modifiers:
                    end -= 1
                part = doc[span.start : end]
                if len(part) and all(_is_cap(t) for t in part) and part[-1].text not in _POSSESSIVE:
                    yield Mention(
                        text=clean_name(part.text),
                        start=offset + part.start_char,
                        end=offset + part.end_char,
                        cls="Entity",
                        label="EMBEDDED",
                        sent_start=m.sent_start,
                        sent_end=m.sent_end,
                        kind="embedded",
                        weight=0.0,
                    )
                break


# ----------------------------------------------------------------- main


def _select(cands: list[_Cand], n_tokens: int) -> list[_Cand]:
    taken = [False] * n_tokens
    chosen = []
    for c in sorted(cands, key=lambda c: (-c.priority, -(c.end - c.start), c.start)):
        if any(taken[c.start : c.end]):
            continue
        for k in range(c.start, c.end):
            taken[k] = True
        chosen.append(c)
    return sorted(chosen, key=lambda c: c.start)


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    while start < end and (doc[start].is_punct or doc[start].lower_ == "the" or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct and doc[end - 1].text not in (".", ")") or doc[end - 1].text in _POSSESSIVE or doc[end - 1].is_space):
        end -= 1
    # a trailing "." belongs to "Co." / "Ltd." / "Inc." but not to a sentence end
    if end > start and doc[end - 1].text == ".":
        end -= 1
    return start, end


def find_mentions(
    doc: Doc, offset: int, lex: Lexicon, gazetteer: Mapping[str, GazetteerEntry] | None = None
) -> list[Mention]:
    """Mentions of one paragraph; ``offset`` is the paragraph's start in the source.

    ``gazetteer`` maps exact names to well-known entities (default: the
    gazetteer under ``ontology/``, see :func:`kg.lexicon.gazetteer_index`; pass
    ``{}`` for none); NER entities found there take its class.
    """
    if gazetteer is None:
        gazetteer = gazetteer_index()
    model = load_type_model()
    headline = is_headline(doc)
    cands: list[_Cand] = []
    if not headline:
        for sent in doc.sents:
            cands.extend(_chunk_candidates(sent, lex))
            cands.extend(_quoted_candidates(sent, lex))
    cands.extend(_ent_candidates(doc, lex, gazetteer))
    chosen = _select(cands, len(doc))
    _share_list_class(doc, chosen)
    taken = [False] * len(doc)
    for c in chosen:
        for k in range(c.start, c.end):
            taken[k] = True
    _settlements_before_regions(doc, chosen)
    extra = list(_role_person_candidates(doc, taken, lex))
    chosen = sorted(chosen + extra, key=lambda c: c.start)
    for c in extra:
        for k in range(c.start, c.end):
            taken[k] = True

    out: list[Mention] = []
    generic: list[tuple[int, int]] = []
    for c, a, b, place in _furniture_split(doc, chosen, lex):
        start, end = _trim(doc, a, b)
        if c.label not in ("CHUNK", "GAZ"):  # "Chairman of Evergrande Group": the NER kept the title
            start = _strip_role(doc, start, end, lex)[0]
            start, end = _trim(doc, start, end)
        if start >= end:
            continue
        facility = None if place else _facility_end(doc, start, end, taken, lex)
        if facility is not None:
            end = facility  # "Thuringia plant", "Nansha container port": a facility named by a description
        span = doc[start:end]
        text = clean_name(span.text)
        if not text or not any(ch.isalpha() for ch in text) or _only_legal_form(text, lex) or _no_name(span):
            continue
        if _generic(text, lex):  # "the Company", "the Board": a description, not a name
            last = text.split()[-1].lower()
            if last in lex.descriptions and start > 0 and doc[start - 1].lower_ in _DEFINITE:
                generic.append((start - 1, end))
            continue
        cls, weight = c.cls, c.weight
        if facility is not None:
            cls, weight = "Facility", W_HEAD
        elif _DOMAIN.fullmatch(text):
            cls, weight = "Organization", W_HEAD  # "China.org.cn": a web site, its publisher
        if place:  # "India's" / "Paris-based" / a dateline: the place, not the name it qualifies
            senses = place_senses(text)
            cls, weight = (senses[0].cls if senses else "Place"), W_CATEGORY  # as sure as a head noun
        if weight < W_GAZETTEER and (cat := _category_class(doc, start, end, lex)):
            if weight <= W_NER or cat == cls:
                cls, weight = cat, W_CATEGORY
        same_as = c.same_as if facility is None else None  # "Guangzhou port" is not Guangzhou
        if weight < W_GAZETTEER and model is not None and facility is None:
            cls, weight, link = _learned_class(doc, start, end, text, cls, weight, lex, model)
            same_as = same_as or link
        sent = span.sent
        out.append(
            Mention(
                text=text,
                start=offset + span.start_char,
                end=offset + span.end_char,
                cls=cls or "Entity",
                label=c.label if facility is None else FACILITY,
                sent_start=offset + sent.start_char,
                sent_end=offset + sent.end_char,
                same_as=same_as,
                weight=weight,
                full=clean_name(c.full) if c.full else None,
            )
        )
    for start, end, kind in [*_reference_mentions(doc, taken, lex), *((a, b, "description") for a, b in generic)]:
        span = doc[start:end]
        sent = span.sent
        out.append(
            Mention(
                text=span.text,
                start=offset + span.start_char,
                end=offset + span.end_char,
                cls="Entity",
                label=kind.upper(),
                sent_start=offset + sent.start_char,
                sent_end=offset + sent.end_char,
                kind=kind,
                weight=0.0,
            )
        )
    acronyms = list(_acronyms(doc, offset, out, lex))
    # "(CWA)" may also be an NER entity: keep one mention per span, the acronym
    defined = {(a.start, a.end) for a in acronyms}
    out = [m for m in out if (m.start, m.end) not in defined] + acronyms
    out.extend(list(_embedded(doc, offset, out)))
    return sorted(out, key=lambda m: (m.start, m.end))


_ACRONYM = re.compile(r"^[A-Z][A-Z&]{1,9}$")


def _acronyms(doc: Doc, offset: int, mentions: list[Mention], lex: Lexicon) -> Iterable[Mention]:
    """"Maritime and Port Authority of Singapore (MPA)" defines MPA, "Board of Investment of
    Thailand (BOI)" BOI: the initials of the name's first words, function words optional."""
    by_end = {m.end - offset: m for m in mentions if m.kind == "name"}
    legal = set(lex.legal_forms)
    for tok in doc:
        if tok.text != "(" or tok.i + 2 >= len(doc) or doc[tok.i + 2].text != ")":
            continue
        short = doc[tok.i + 1].text
        if not _ACRONYM.match(short):
            continue
        prev = doc[tok.i - 1] if tok.i > 0 else None
        long = by_end.get(prev.idx + len(prev.text)) if prev is not None else None
        if long is None:
            continue
        words = re.findall(r"[A-Za-z][\w'-]*|&", long.text)
        if not initials_match(short.replace("&", ""), words, legal, prefix=True):
            continue
        t = doc[tok.i + 1]
        yield Mention(
            text=short,
            start=offset + t.idx,
            end=offset + t.idx + len(short),
            cls=long.cls,
            label="ACRONYM",
            sent_start=long.sent_start,
            sent_end=long.sent_end,
            kind="acronym",
            weight=long.weight,
            full=long.text,
        )
