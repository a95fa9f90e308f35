"""Tests of ``kg.open_relation.v1``: relatedTo with predicate text for other verbs.

Sentences are parsed once by the English pipeline and frozen here (see
``tests/extract/helpers.py``): the rules are tested without the model.
"""

from __future__ import annotations

import pytest

from tests.extract.helpers import M, run, triples

OPEN = [
    pytest.param(
        # The Lingang New Area has also issued the first batch of road test licenses to 15 vehicles of four enterprises, including Tucson Future and Saike Intelligence.
        """
        The|the|DET|DT|det|3 Lingang|Lingang|PROPN|NNP|compound|3 New|New|PROPN|NNP|compound|3
        Area|Area|PROPN|NNP|nsubj|6 has|have|AUX|VBZ|aux|6 also|also|ADV|RB|advmod|6
        issued|issue|VERB|VBN|ROOT|6 the|the|DET|DT|det|9 first|first|ADJ|JJ|amod|9
        batch|batch|NOUN|NN|dobj|6 of|of|ADP|IN|prep|9 road|road|NOUN|NN|compound|13
        test|test|NOUN|NN|compound|13 licenses|license|NOUN|NNS|pobj|10 to|to|ADP|IN|prep|6
        15|15|NUM|CD|nummod|16 vehicles|vehicle|NOUN|NNS|pobj|14 of|of|ADP|IN|prep|16
        four|four|NUM|CD|nummod|19 enterprises|enterprise|NOUN|NNS|pobj|17 ,|,|PUNCT|,|punct|19
        including|include|VERB|VBG|prep|19 Tucson|Tucson|PROPN|NNP|compound|23
        Future|Future|PROPN|NNP|pobj|21 and|and|CCONJ|CC|cc|23 Saike|Saike|PROPN|NNP|compound|26
        Intelligence|Intelligence|PROPN|NNP|conj|23 .|.|PUNCT|.|punct|6
        """,
        [
            M(1, 4, 'EconomicZone'),  # Lingang New Area
            M(22, 24, 'Company'),  # Tucson Future
            M(25, 27, 'Company'),  # Saike Intelligence
        ],
        {('Lingang New Area', 'relatedTo', 'Tucson Future'), ('Lingang New Area', 'relatedTo', 'Saike Intelligence')},
        id='issued-to',
    ),

    pytest.param(
        # At the beginning of the year, the National Foreign Trade Base of Shanghai Lingang Industrial Zone passed the annual assessment of the Ministry of Commerce.
        """
        At|at|ADP|IN|prep|17 the|the|DET|DT|det|2 beginning|beginning|NOUN|NN|pobj|0 of|of|ADP|IN|prep|2
        the|the|DET|DT|det|5 year|year|NOUN|NN|pobj|3 ,|,|PUNCT|,|punct|17 the|the|DET|DT|det|11
        National|National|PROPN|NNP|compound|11 Foreign|Foreign|PROPN|NNP|compound|10
        Trade|Trade|PROPN|NNP|compound|11 Base|Base|PROPN|NNP|nsubj|17 of|of|ADP|IN|prep|11
        Shanghai|Shanghai|PROPN|NNP|compound|16 Lingang|Lingang|PROPN|NNP|compound|16
        Industrial|Industrial|PROPN|NNP|compound|16 Zone|Zone|PROPN|NNP|pobj|12 passed|pass|VERB|VBD|ROOT|17
        the|the|DET|DT|det|20 annual|annual|ADJ|JJ|amod|20 assessment|assessment|NOUN|NN|dobj|17
        of|of|ADP|IN|prep|20 the|the|DET|DT|det|23 Ministry|Ministry|PROPN|NNP|pobj|21 of|of|ADP|IN|prep|23
        Commerce|Commerce|PROPN|NNP|pobj|24 .|.|PUNCT|.|punct|17
        """,
        [
            M(8, 12, 'EconomicZone'),  # National Foreign Trade Base
            M(13, 17, 'EconomicZone'),  # Shanghai Lingang Industrial Zone
            M(23, 26, 'GovernmentBody'),  # Ministry of Commerce
        ],
        {('National Foreign Trade Base', 'relatedTo', 'Ministry of Commerce')},
        id='assessment-of',
    ),

    pytest.param(
        # Yang Quan, born on the banks of the Lancang River, did not know that.
        """
        Yang|Yang|PROPN|NNP|compound|1 Quan|Quan|PROPN|NNP|nsubj|14 ,|,|PUNCT|,|punct|1
        born|bear|VERB|VBN|acl|1 on|on|ADP|IN|prep|3 the|the|DET|DT|det|6 banks|bank|NOUN|NNS|pobj|4
        of|of|ADP|IN|prep|6 the|the|DET|DT|det|10 Lancang|Lancang|PROPN|NNP|compound|10
        River|River|PROPN|NNP|pobj|7 ,|,|PUNCT|,|punct|1 did|do|AUX|VBD|aux|14 not|not|PART|RB|neg|14
        know|know|VERB|VB|ROOT|14 that|that|PRON|DT|dobj|14 .|.|PUNCT|.|punct|14
        """,
        [
            M(0, 2, 'Person', weight=1.0),  # Yang Quan
            M(9, 11, 'Place'),  # Lancang River
        ],
        {('Yang Quan', 'relatedTo', 'Lancang River')},
        id='born-on',
    ),

    pytest.param(
        # Tim Cook said Apple Inc. would grow.
        """
        Tim|Tim|PROPN|NNP|compound|1 Cook|Cook|PROPN|NNP|nsubj|2 said|say|VERB|VBD|ROOT|2
        Apple|Apple|PROPN|NNP|compound|4 Inc.|Inc.|PROPN|NNP|nsubj|6 would|would|AUX|MD|aux|6
        grow|grow|VERB|VB|ccomp|2 .|.|PUNCT|.|punct|2
        """,
        [
            M(0, 2, 'Person', weight=1.0),  # Tim Cook
            M(3, 5, 'Company'),  # Apple Inc.
        ],
        set(),
        id='reporting-verb',
    ),

    pytest.param(
        # Li Hua returned to China after graduating.
        """
        Li|Li|PROPN|NNP|compound|1 Hua|Hua|PROPN|NNP|nsubj|2 returned|return|VERB|VBD|ROOT|2
        to|to|ADP|IN|prep|2 China|China|PROPN|NNP|pobj|3 after|after|ADP|IN|prep|2
        graduating|graduate|VERB|VBG|pcomp|5 .|.|PUNCT|.|punct|2
        """,
        [
            M(0, 2, 'Person', weight=1.0),  # Li Hua
            M(4, 5, 'Country'),  # China
        ],
        set(),
        id='place-object',
    ),
]


@pytest.mark.parametrize(("tokens", "mentions", "expected"), OPEN)
def test_open_relation(tokens, mentions, expected):
    relations, ctx = run("kg.open_relation.v1", tokens, mentions)
    assert triples(relations, ctx) == expected


@pytest.mark.parametrize(
    ("case_id", "predicate"),
    [
        ("issued-to", "issued licenses to"),
        ("assessment-of", "passed the annual assessment of"),
        ("born-on", "born on the banks of"),
    ],
)
def test_the_predicate_text_is_kept(case_id, predicate):
    tokens, mentions, _ = next(p.values for p in OPEN if p.id == case_id)
    relations, _ = run("kg.open_relation.v1", tokens, mentions)
    assert {r.predicate_text for r in relations} == {predicate}
    assert all(r.confidence <= 0.6 for r in relations), "a fallback is never very sure"
