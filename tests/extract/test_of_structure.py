"""Tests of ``kg.of_structure.v1`` and ``kg.embedded_name.v1``: "X of Y", "Y's X", "X is the N of Y", names in names.

Sentences are parsed once by the English pipeline and frozen here (see
``tests/extract/helpers.py``): the rules are tested without the model.
"""

from __future__ import annotations

import pytest

from tests.extract.helpers import M, run, triples

OF = [
    pytest.param(
        # The Shipping Department of the Lingang New Area Management Committee hosted the meeting.
        """
        The|the|DET|DT|det|2 Shipping|Shipping|PROPN|NNP|compound|2 Department|Department|PROPN|NNP|nsubj|10
        of|of|ADP|IN|prep|2 the|the|DET|DT|det|9 Lingang|Lingang|PROPN|NNP|compound|9
        New|New|PROPN|NNP|compound|7 Area|Area|PROPN|NNP|compound|9
        Management|Management|PROPN|NNP|compound|9 Committee|Committee|PROPN|NNP|pobj|3
        hosted|host|VERB|VBD|ROOT|10 the|the|DET|DT|det|12 meeting|meeting|NOUN|NN|dobj|10
        .|.|PUNCT|.|punct|10
        """,
        [
            M(1, 3, 'GovernmentBody'),  # Shipping Department
            M(5, 10, 'GovernmentBody'),  # Lingang New Area Management Committee
        ],
        {('Shipping Department', 'subOrganizationOf', 'Lingang New Area Management Committee')},
        id='department-of-committee',
    ),

    pytest.param(
        # On August 20th, the Lingang New Area of China's Pilot Free Trade Zone celebrated its fourth anniversary.
        """
        On|on|ADP|IN|prep|15 August|August|PROPN|NNP|compound|2 20th|20th|NOUN|NN|pobj|0
        ,|,|PUNCT|,|punct|15 the|the|DET|DT|det|7 Lingang|Lingang|PROPN|NNP|compound|7
        New|New|PROPN|NNP|compound|7 Area|Area|PROPN|NNP|nsubj|15 of|of|ADP|IN|prep|7
        China|China|PROPN|NNP|poss|14 's|'s|PART|POS|case|9 Pilot|Pilot|PROPN|NNP|compound|14
        Free|Free|PROPN|NNP|compound|13 Trade|Trade|PROPN|NNP|compound|14 Zone|Zone|PROPN|NNP|pobj|8
        celebrated|celebrate|VERB|VBD|ROOT|15 its|its|PRON|PRP$|poss|18 fourth|fourth|ADJ|JJ|amod|18
        anniversary|anniversary|NOUN|NN|dobj|15 .|.|PUNCT|.|punct|15
        """,
        [
            M(5, 8, 'EconomicZone'),  # Lingang New Area
            M(9, 15, 'EconomicZone'),  # China's Pilot Free Trade Zone
            M(16, 17, 'EconomicZone', kind='pronoun', ante=0),  # its
        ],
        {('Lingang New Area', 'partOf', "China's Pilot Free Trade Zone")},
        id='zone-of-zone',
    ),

    pytest.param(
        # Volvo Cars is a subsidiary of Geely Holding Group.
        """
        Volvo|Volvo|PROPN|NNP|compound|1 Cars|Cars|PROPN|NNPS|nsubj|2 is|be|AUX|VBZ|ROOT|2 a|a|DET|DT|det|4
        subsidiary|subsidiary|NOUN|NN|attr|2 of|of|ADP|IN|prep|4 Geely|Geely|PROPN|NNP|compound|8
        Holding|Holding|PROPN|NNP|compound|8 Group|Group|PROPN|NNP|pobj|5 .|.|PUNCT|.|punct|2
        """,
        [
            M(0, 2, 'Company'),  # Volvo Cars (hand-added: the NER misses it)
            M(6, 9, 'Company'),  # Geely Holding Group
        ],
        {('Volvo Cars', 'subOrganizationOf', 'Geely Holding Group')},
        id='subsidiary',
    ),

    pytest.param(
        # Zhejiang Geely Holding Group, the parent company of Volvo Cars, reported higher sales.
        """
        Zhejiang|Zhejiang|PROPN|NNP|compound|3 Geely|geely|ADV|RB|compound|3
        Holding|Holding|PROPN|NNP|compound|3 Group|Group|PROPN|NNP|nsubj|12 ,|,|PUNCT|,|punct|3
        the|the|DET|DT|det|7 parent|parent|NOUN|NN|compound|7 company|company|NOUN|NN|appos|3
        of|of|ADP|IN|prep|7 Volvo|Volvo|PROPN|NNP|compound|10 Cars|Cars|PROPN|NNP|pobj|8 ,|,|PUNCT|,|punct|3
        reported|report|VERB|VBD|ROOT|12 higher|high|ADJ|JJR|amod|14 sales|sale|NOUN|NNS|dobj|12
        .|.|PUNCT|.|punct|12
        """,
        [
            M(0, 4, 'Company'),  # Zhejiang Geely Holding Group
            M(9, 11, 'Organization', weight=1.0),  # Volvo Cars
        ],
        {('Volvo Cars', 'subOrganizationOf', 'Zhejiang Geely Holding Group')},
        id='parent-company',
    ),

    pytest.param(
        # The Shanghai Book Fair is the second exhibition of the Contemporary Culture Exhibition Series.
        """
        The|the|DET|DT|det|3 Shanghai|Shanghai|PROPN|NNP|compound|3 Book|Book|PROPN|NNP|compound|3
        Fair|Fair|PROPN|NNP|nsubj|4 is|be|AUX|VBZ|ROOT|4 the|the|DET|DT|det|7 second|second|ADJ|JJ|amod|7
        exhibition|exhibition|NOUN|NN|attr|4 of|of|ADP|IN|prep|7 the|the|DET|DT|det|13
        Contemporary|Contemporary|PROPN|NNP|compound|11 Culture|Culture|PROPN|NNP|compound|13
        Exhibition|Exhibition|PROPN|NNP|compound|13 Series|Series|PROPN|NNP|pobj|8 .|.|PUNCT|.|punct|4
        """,
        [
            M(1, 4, 'Event'),  # Shanghai Book Fair
            M(10, 14, 'Organization', weight=1.0),  # Contemporary Culture Exhibition Series
        ],
        {('Shanghai Book Fair', 'partOf', 'Contemporary Culture Exhibition Series')},
        id='event-of-series',
    ),

    pytest.param(
        # The heads of international organizations such as the Baltic International Chamber of Shipping and the London Association of Maritime Arbitrators believe in it.
        """
        The|the|DET|DT|det|1 heads|head|NOUN|NNS|nsubj|20 of|of|ADP|IN|prep|1
        international|international|ADJ|JJ|amod|4 organizations|organization|NOUN|NNS|pobj|2
        such|such|ADJ|JJ|amod|6 as|as|ADP|IN|prep|4 the|the|DET|DT|det|10
        Baltic|Baltic|PROPN|NNP|compound|10 International|International|PROPN|NNP|compound|10
        Chamber|Chamber|PROPN|NNP|pobj|6 of|of|ADP|IN|prep|10 Shipping|Shipping|PROPN|NNP|pobj|11
        and|and|CCONJ|CC|cc|10 the|the|DET|DT|det|16 London|London|PROPN|NNP|compound|16
        Association|Association|PROPN|NNP|conj|10 of|of|ADP|IN|prep|16
        Maritime|Maritime|PROPN|NNP|compound|19 Arbitrators|Arbitrators|PROPN|NNPS|pobj|17
        believe|believe|VERB|VBP|ROOT|20 in|in|ADP|IN|prep|20 it|it|PRON|PRP|pobj|21 .|.|PUNCT|.|punct|20
        """,
        [
            M(8, 13, 'Organization'),  # Baltic International Chamber of Shipping
            M(15, 20, 'Organization'),  # London Association of Maritime Arbitrators
            M(22, 23, 'Organization', kind='pronoun', ante=1),  # it
        ],
        set(),
        id='coordination-is-not-of',
    ),

    pytest.param(
        # Professor Chen Jie of Fudan University gave a speech.
        """
        Professor|Professor|PROPN|NNP|compound|2 Chen|Chen|PROPN|NNP|compound|2 Jie|Jie|PROPN|NNP|nsubj|6
        of|of|ADP|IN|prep|2 Fudan|Fudan|PROPN|NNP|compound|5 University|University|PROPN|NNP|pobj|3
        gave|give|VERB|VBD|ROOT|6 a|a|DET|DT|det|8 speech|speech|NOUN|NN|dobj|6 .|.|PUNCT|.|punct|6
        """,
        [
            M(1, 3, 'Person', weight=1.0),  # Chen Jie
            M(4, 6, 'EducationalInstitution'),  # Fudan University
        ],
        set(),
        id='person-of-org',
    ),
]

EMBEDDED = [
    pytest.param(
        # The Lingang New Area grew fast. Several pilot areas came to consult the Lingang New Area Management Committee.
        """
        The|the|DET|DT|det|3 Lingang|Lingang|PROPN|NNP|compound|3 New|New|PROPN|NNP|compound|3
        Area|Area|PROPN|NNP|nsubj|4 grew|grow|VERB|VBD|ROOT|4 fast|fast|ADV|RB|advmod|4 .|.|PUNCT|.|punct|4
        Several|several|ADJ|JJ|amod|9 pilot|pilot|NOUN|NN|compound|9 areas|area|NOUN|NNS|nsubj|10
        came|come|VERB|VBD|ROOT|10 to|to|PART|TO|aux|12 consult|consult|VERB|VB|advcl|10
        the|the|DET|DT|det|18 Lingang|Lingang|PROPN|NNP|compound|18 New|New|PROPN|NNP|compound|16
        Area|Area|PROPN|NNP|compound|18 Management|Management|PROPN|NNP|compound|18
        Committee|Committee|PROPN|NNP|dobj|12 .|.|PUNCT|.|punct|10
        """,
        [
            M(1, 4, 'EconomicZone'),  # Lingang New Area
            M(14, 17, 'EconomicZone', kind='embedded', ante=0),  # Lingang New Area
            M(14, 19, 'GovernmentBody'),  # Lingang New Area Management Committee
        ],
        {('Lingang New Area Management Committee', 'administers', 'Lingang New Area')},
        id='committee-of-area',
    ),

    pytest.param(
        # A person in charge of the Qianhai Management Bureau said this.
        """
        A|a|DET|DT|det|1 person|person|NOUN|NN|nsubj|9 in|in|ADP|IN|prep|1 charge|charge|NOUN|NN|pobj|2
        of|of|ADP|IN|prep|3 the|the|DET|DT|det|8 Qianhai|Qianhai|PROPN|NNP|compound|8
        Management|Management|PROPN|NNP|compound|8 Bureau|Bureau|PROPN|NNP|pobj|4 said|say|VERB|VBD|ROOT|9
        this|this|PRON|DT|dobj|9 .|.|PUNCT|.|punct|9
        """,
        [
            M(6, 9, 'GovernmentBody'),  # Qianhai Management Bureau
        ],
        set(),
        id='unknown-place',
    ),
]


@pytest.mark.parametrize(("tokens", "mentions", "expected"), OF)
def test_of_structure(tokens, mentions, expected):
    relations, ctx = run("kg.of_structure.v1", tokens, mentions)
    assert triples(relations, ctx) == expected

@pytest.mark.parametrize(("tokens", "mentions", "expected"), EMBEDDED)
def test_embedded_name(tokens, mentions, expected):
    relations, ctx = run("kg.embedded_name.v1", tokens, mentions)
    assert triples(relations, ctx) == expected
