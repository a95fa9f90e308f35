"""News furniture around names: bylines, credits, possessive places, legal forms, datelines,
generic descriptions (hand-built Docs: words, sentence starts and NER spans only)."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from kg.extract.mentions import find_mentions
from kg.lexicon import load_lexicon

LEX = load_lexicon()
VOCAB = spacy.blank("en").vocab


def names(words: list[str], ents: list[str], spaces: list[bool] | None = None) -> dict[str, str]:
    doc = Doc(VOCAB, words=words, spaces=spaces, sent_starts=[True] + [False] * (len(words) - 1), ents=ents)
    return {m.text: m.cls for m in find_mentions(doc, 0, LEX, gazetteer={}) if m.kind == "name"}


def test_a_byline_across_a_line_break_is_two_names():
    got = names(["By", "Liu", "Jianing", "\n", "China.org.cn", ",", "September", "9"],
                ["O", "B-PERSON", "I-PERSON", "I-PERSON", "I-PERSON", "O", "O", "O"],
                [True, True, False, False, False, True, True, False])
    assert set(got) == {"Liu Jianing", "China.org.cn"}


def test_a_photo_credit_gives_the_agency_only():
    got = names(["[", "Photo", "/", "Xinhua", "]"], ["O", "B-ORG", "I-ORG", "I-ORG", "O"], [False] * 5)
    assert list(got) == ["Xinhua"]


def test_a_possessive_place_leaves_the_company_name():
    got = names(["India", "'s", "Oil", "Corporation", "grew", "."], ["B-ORG", "I-ORG", "I-ORG", "I-ORG", "O", "O"],
                [False, True, True, True, False, False])
    assert got == {"India": "Country", "Oil Corporation": "Company"}


def test_a_legal_form_alone_and_a_generic_board_are_no_names():
    got = names(["S.A.", "and", "the", "Board", "of", "Directors", "met", "."],
                ["B-ORG", "O", "O", "B-ORG", "I-ORG", "I-ORG", "O", "O"])
    assert got == {}


def test_a_dateline_in_capitals_is_a_place():
    got = names(["BEIJING", ",", "April", "9", "(", "Xinhua", ")"], ["B-ORG", "O", "O", "O", "O", "B-ORG", "O"])
    assert got["BEIJING"] == "City"


def test_a_name_stops_at_a_bracket_and_the_acronym_in_it_is_its_own_mention():
    words = ["Board", "of", "Investment", "of", "Thailand", "(", "BOI", ")", "said", "."]
    got = names(words, ["B-ORG"] + ["I-ORG"] * 7 + ["O", "O"],
                [True, True, True, True, True, False, False, True, False, False])
    assert "Board of Investment of Thailand" in got
    assert not any("(" in name for name in got)
    doc = Doc(VOCAB, words=words, spaces=[True, True, True, True, True, False, False, True, False, False],
              sent_starts=[True] + [False] * 9, ents=["B-ORG"] + ["I-ORG"] * 7 + ["O", "O"])
    acronyms = [m for m in find_mentions(doc, 0, LEX, gazetteer={}) if m.kind == "acronym"]
    # the initials of the name's first words define it
    assert [(m.text, m.full) for m in acronyms] == [("BOI", "Board of Investment of Thailand")]


def test_a_bracket_inside_a_name_keeps_the_name_whole():
    words = ["China", "(", "Guangxi", ")", "Pilot", "Free", "Trade", "Zone", "opened", "."]
    got = names(words, ["B-ORG"] + ["I-ORG"] * 7 + ["O", "O"],
                [True, False, False, True, True, True, True, True, False, False])
    assert list(got) == ["China (Guangxi) Pilot Free Trade Zone"]


def test_a_name_never_runs_across_an_em_dash():
    words = ["Harbour", "Group", "—", "Delta", "Port", "signed", "."]
    got = names(words, ["B-ORG", "I-ORG", "I-ORG", "I-ORG", "I-ORG", "O", "O"],
                [True, True, True, True, True, False, False])
    assert not any("—" in name for name in got)
    assert "Harbour Group" in got
