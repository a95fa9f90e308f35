"""Tests of ``kg.prep_phrase.v1``: "under the jurisdiction of" and similar phrases.

Sentences are parsed once by the English pipeline and frozen here (see
``tests/extract/helpers.py``): the rules are tested without the model.
"""

from __future__ import annotations

import pytest

from tests.extract.helpers import M, run, triples

PHRASES = [
    pytest.param(
        # Half of the vehicles were loaded onto ships from the Nangang Port under the jurisdiction of the Lingang Trade Base.
        """
        Half|half|NOUN|NN|nsubjpass|5 of|of|ADP|IN|prep|0 the|the|DET|DT|det|3
        vehicles|vehicle|NOUN|NNS|pobj|1 were|be|AUX|VBD|auxpass|5 loaded|load|VERB|VBN|ROOT|5
        onto|onto|ADP|IN|prep|5 ships|ship|NOUN|NNS|pobj|6 from|from|ADP|IN|prep|7 the|the|DET|DT|det|11
        Nangang|Nangang|PROPN|NNP|compound|11 Port|Port|PROPN|NNP|pobj|8 under|under|ADP|IN|prep|5
        the|the|DET|DT|det|14 jurisdiction|jurisdiction|NOUN|NN|pobj|12 of|of|ADP|IN|prep|14
        the|the|DET|DT|det|19 Lingang|Lingang|PROPN|NNP|compound|19 Trade|Trade|PROPN|NNP|compound|19
        Base|Base|PROPN|NNP|pobj|15 .|.|PUNCT|.|punct|5
        """,
        [
            M(10, 12, 'Facility'),  # Nangang Port
            M(17, 20, 'EconomicZone'),  # Lingang Trade Base
        ],
        {('Lingang Trade Base', 'administers', 'Nangang Port')},
        id='jurisdiction',
    ),

    pytest.param(
        # Under the guidance of the Shanghai Municipal Transportation Commission, the Deep Blue Exhibition was launched at the museum.
        """
        Under|under|ADP|IN|prep|15 the|the|DET|DT|det|2 guidance|guidance|NOUN|NN|pobj|0 of|of|ADP|IN|prep|2
        the|the|DET|DT|det|8 Shanghai|Shanghai|PROPN|NNP|compound|8 Municipal|Municipal|PROPN|NNP|compound|7
        Transportation|Transportation|PROPN|NNP|compound|8 Commission|Commission|PROPN|NNP|pobj|3
        ,|,|PUNCT|,|punct|15 the|the|DET|DT|det|13 Deep|Deep|PROPN|NNP|compound|12
        Blue|Blue|PROPN|NNP|compound|13 Exhibition|Exhibition|PROPN|NNP|nsubjpass|15
        was|be|AUX|VBD|auxpass|15 launched|launch|VERB|VBN|ROOT|15 at|at|ADP|IN|prep|15
        the|the|DET|DT|det|18 museum|museum|NOUN|NN|pobj|16 .|.|PUNCT|.|punct|15
        """,
        [
            M(5, 9, 'GovernmentBody'),  # Shanghai Municipal Transportation Commission
            M(11, 14, 'Event'),  # Deep Blue Exhibition
            M(17, 19, 'GovernmentBody', kind='description', ante=0),  # the museum
        ],
        {('Shanghai Municipal Transportation Commission', 'relatedTo', 'Deep Blue Exhibition')},
        id='guidance',
    ),

    pytest.param(
        # The Nangang Port under the roof of the Lingang Trade Base is busy.
        """
        The|the|DET|DT|det|2 Nangang|Nangang|PROPN|NNP|compound|2 Port|Port|PROPN|NNP|nsubj|11
        under|under|ADP|IN|prep|2 the|the|DET|DT|det|5 roof|roof|NOUN|NN|pobj|3 of|of|ADP|IN|prep|5
        the|the|DET|DT|det|10 Lingang|Lingang|PROPN|NNP|compound|10 Trade|Trade|PROPN|NNP|compound|10
        Base|Base|PROPN|NNP|pobj|6 is|be|AUX|VBZ|ROOT|11 busy|busy|ADJ|JJ|acomp|11 .|.|PUNCT|.|punct|11
        """,
        [
            M(1, 3, 'Facility'),  # Nangang Port
            M(8, 11, 'EconomicZone'),  # Lingang Trade Base
        ],
        set(),
        id='other-noun',
    ),
]


@pytest.mark.parametrize(("tokens", "mentions", "expected"), PHRASES)
def test_prep_phrase(tokens, mentions, expected):
    relations, ctx = run("kg.prep_phrase.v1", tokens, mentions)
    assert triples(relations, ctx) == expected
