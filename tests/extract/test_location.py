"""Tests of ``kg.location.v1``: locatedIn from prepositions, appositions, "where" and "as".

Sentences are parsed once by the English pipeline and frozen here (see
``tests/extract/helpers.py``): the rules are tested without the model.
"""

from __future__ import annotations

import pytest

from tests.extract.helpers import M, run, triples

LOCATION = [
    pytest.param(
        # On June 30th, the Xinzhuang Industrial Zone in Shanghai held a groundbreaking ceremony.
        """
        On|on|ADP|IN|prep|10 June|June|PROPN|NNP|compound|2 30th|30th|NOUN|NN|pobj|0 ,|,|PUNCT|,|punct|10
        the|the|DET|DT|det|7 Xinzhuang|Xinzhuang|PROPN|NNP|compound|7
        Industrial|Industrial|PROPN|NNP|compound|7 Zone|Zone|PROPN|NNP|nsubj|10 in|in|ADP|IN|prep|7
        Shanghai|Shanghai|PROPN|NNP|pobj|8 held|hold|VERB|VBD|ROOT|10 a|a|DET|DT|det|13
        groundbreaking|groundbreaking|NOUN|NN|compound|13 ceremony|ceremony|NOUN|NN|dobj|10
        .|.|PUNCT|.|punct|10
        """,
        [
            M(5, 8, 'EconomicZone'),  # Xinzhuang Industrial Zone
            M(9, 10, 'City'),  # Shanghai
        ],
        {('Xinzhuang Industrial Zone', 'locatedIn', 'Shanghai')},
        id='name-in-place',
    ),

    pytest.param(
        # After graduating from Loughborough University in the UK, he returned.
        """
        After|after|ADP|IN|prep|10 graduating|graduate|VERB|VBG|pcomp|0 from|from|ADP|IN|prep|1
        Loughborough|Loughborough|PROPN|NNP|compound|4 University|University|PROPN|NNP|pobj|2
        in|in|ADP|IN|prep|1 the|the|DET|DT|det|7 UK|UK|PROPN|NNP|pobj|5 ,|,|PUNCT|,|punct|10
        he|he|PRON|PRP|nsubj|10 returned|return|VERB|VBD|ROOT|10 .|.|PUNCT|.|punct|10
        """,
        [
            M(3, 5, 'EducationalInstitution'),  # Loughborough University
            M(7, 8, 'Country'),  # UK
        ],
        {('Loughborough University', 'locatedIn', 'UK')},
        id='university-in-country',
    ),

    pytest.param(
        # Yang Quan, a delivery rider from Lincang, Yunnan, has once again encountered the toughest season.
        """
        Yang|Yang|PROPN|NNP|compound|1 Quan|Quan|PROPN|NNP|nsubj|14 ,|,|PUNCT|,|punct|1 a|a|DET|DT|det|5
        delivery|delivery|NOUN|NN|compound|5 rider|rider|NOUN|NN|appos|1 from|from|ADP|IN|prep|5
        Lincang|Lincang|PROPN|NNP|pobj|6 ,|,|PUNCT|,|punct|7 Yunnan|Yunnan|PROPN|NNP|appos|7
        ,|,|PUNCT|,|punct|7 has|have|AUX|VBZ|aux|14 once|once|ADV|RB|advmod|13 again|again|ADV|RB|advmod|14
        encountered|encounter|VERB|VBN|ROOT|14 the|the|DET|DT|det|17 toughest|tough|ADJ|JJS|amod|17
        season|season|NOUN|NN|dobj|14 .|.|PUNCT|.|punct|14
        """,
        [
            M(0, 2, 'Person', weight=1.0),  # Yang Quan
            M(7, 8, 'AdministrativeArea', weight=1.0),  # Lincang
            M(9, 10, 'AdministrativeArea', weight=1.0),  # Yunnan
        ],
        {('Lincang', 'locatedIn', 'Yunnan')},
        id='place-comma-region',
    ),

    pytest.param(
        # The Huayang Road Street in Changning District, where Zhaofeng Square is located, is one of them.
        """
        The|the|DET|DT|det|3 Huayang|Huayang|PROPN|NNP|compound|3 Road|Road|PROPN|NNP|compound|3
        Street|Street|PROPN|NNP|nsubj|14 in|in|ADP|IN|prep|3 Changning|Changning|PROPN|NNP|compound|6
        District|District|PROPN|NNP|pobj|4 ,|,|PUNCT|,|punct|6 where|where|SCONJ|WRB|advmod|12
        Zhaofeng|Zhaofeng|PROPN|NNP|compound|10 Square|Square|PROPN|NNP|nsubjpass|12
        is|be|AUX|VBZ|auxpass|12 located|locate|VERB|VBN|relcl|6 ,|,|PUNCT|,|punct|14 is|be|AUX|VBZ|ROOT|14
        one|one|NUM|CD|attr|14 of|of|ADP|IN|prep|15 them|they|PRON|PRP|pobj|16 .|.|PUNCT|.|punct|14
        """,
        [
            M(1, 4, 'AdministrativeArea'),  # Huayang Road Street
            M(5, 7, 'AdministrativeArea'),  # Changning District
            M(9, 11, 'Facility'),  # Zhaofeng Square
        ],
        {('Huayang Road Street', 'locatedIn', 'Changning District'), ('Zhaofeng Square', 'locatedIn', 'Huayang Road Street')},
        id='where-clause',
    ),

    pytest.param(
        # The service station in front of the Zhaofeng Square in Zhongshan Park is a harbor for riders.
        """
        The|the|DET|DT|det|2 service|service|NOUN|NN|compound|2 station|station|NOUN|NN|nsubj|12
        in|in|ADP|IN|prep|2 front|front|NOUN|NN|pobj|3 of|of|ADP|IN|prep|4 the|the|DET|DT|det|8
        Zhaofeng|Zhaofeng|PROPN|NNP|compound|8 Square|Square|PROPN|NNP|pobj|5 in|in|ADP|IN|prep|8
        Zhongshan|Zhongshan|PROPN|NNP|compound|11 Park|Park|PROPN|NNP|pobj|9 is|be|AUX|VBZ|ROOT|12
        a|a|DET|DT|det|14 harbor|harbor|NOUN|NN|attr|12 for|for|ADP|IN|prep|14 riders|rider|NOUN|NNS|pobj|15
        .|.|PUNCT|.|punct|12
        """,
        [
            M(7, 9, 'Facility'),  # Zhaofeng Square
            M(10, 12, 'Facility'),  # Zhongshan Park
        ],
        {('Zhaofeng Square', 'locatedIn', 'Zhongshan Park')},
        id='in-front-of',
    ),

    pytest.param(
        # Shanghai-based Tesla opened a new store.
        """
        Shanghai|Shanghai|PROPN|NNP|npadvmod|2 -|-|PUNCT|HYPH|punct|2 based|base|VERB|VBN|amod|3
        Tesla|Tesla|PROPN|NNP|nsubj|4 opened|open|VERB|VBD|ROOT|4 a|a|DET|DT|det|7 new|new|ADJ|JJ|amod|7
        store|store|NOUN|NN|dobj|4 .|.|PUNCT|.|punct|4
        """,
        [
            M(0, 1, 'City'),  # Shanghai
            M(3, 4, 'Company'),  # Tesla
        ],
        {('Tesla', 'locatedIn', 'Shanghai')},
        id='based',
    ),

    pytest.param(
        # As a leading area for the construction of an international data port in Shanghai, the Lingang New Area has created a platform.
        """
        As|as|ADP|IN|prep|20 a|a|DET|DT|det|3 leading|lead|VERB|VBG|amod|3 area|area|NOUN|NN|pobj|0
        for|for|ADP|IN|prep|3 the|the|DET|DT|det|6 construction|construction|NOUN|NN|pobj|4
        of|of|ADP|IN|prep|6 an|an|DET|DT|det|11 international|international|ADJ|JJ|amod|11
        data|data|NOUN|NN|compound|11 port|port|NOUN|NN|pobj|7 in|in|ADP|IN|prep|11
        Shanghai|Shanghai|PROPN|NNP|pobj|12 ,|,|PUNCT|,|punct|20 the|the|DET|DT|det|18
        Lingang|Lingang|PROPN|NNP|compound|18 New|New|PROPN|NNP|compound|18 Area|Area|PROPN|NNP|nsubj|20
        has|have|AUX|VBZ|aux|20 created|create|VERB|VBN|ROOT|20 a|a|DET|DT|det|22
        platform|platform|NOUN|NN|dobj|20 .|.|PUNCT|.|punct|20
        """,
        [
            M(13, 14, 'City'),  # Shanghai
            M(16, 19, 'EconomicZone'),  # Lingang New Area
        ],
        {('Lingang New Area', 'locatedIn', 'Shanghai')},
        id='as-phrase',
    ),

    pytest.param(
        # For his third venture, he set his sights on Qingpu in Shanghai.
        """
        For|for|ADP|IN|prep|6 his|his|PRON|PRP$|poss|3 third|third|ADJ|JJ|amod|3
        venture|venture|NOUN|NN|pobj|0 ,|,|PUNCT|,|punct|6 he|he|PRON|PRP|nsubj|6 set|set|VERB|VBD|ROOT|6
        his|his|PRON|PRP$|poss|8 sights|sight|NOUN|NNS|dobj|6 on|on|ADP|IN|prep|8
        Qingpu|Qingpu|PROPN|NNP|pobj|9 in|in|ADP|IN|prep|6 Shanghai|Shanghai|PROPN|NNP|pobj|11
        .|.|PUNCT|.|punct|6
        """,
        [
            M(10, 11, 'AdministrativeArea', weight=1.0),  # Qingpu
            M(12, 13, 'City'),  # Shanghai
        ],
        {('Qingpu', 'locatedIn', 'Shanghai')},
        id='verb-attached',
    ),

    pytest.param(
        # Sales of Tesla in China rose last year.
        """
        Sales|sale|NOUN|NNS|nsubj|5 of|of|ADP|IN|prep|0 Tesla|Tesla|PROPN|NNP|pobj|1 in|in|ADP|IN|prep|2
        China|China|PROPN|NNP|pobj|3 rose|rise|VERB|VBD|ROOT|5 last|last|ADJ|JJ|amod|7
        year|year|NOUN|NN|npadvmod|5 .|.|PUNCT|.|punct|5
        """,
        [
            M(2, 3, 'Company'),  # Tesla
            M(4, 5, 'Country'),  # China
        ],
        {('Tesla', 'operatesIn', 'China')},
        id='company-operates',
    ),

    pytest.param(
        # The event invited many figures from the UK, Norway, Japan, and France to discuss together.
        """
        The|the|DET|DT|det|1 event|event|NOUN|NN|nsubj|2 invited|invite|VERB|VBD|ROOT|2
        many|many|ADJ|JJ|amod|4 figures|figure|NOUN|NNS|dobj|2 from|from|ADP|IN|prep|2 the|the|DET|DT|det|7
        UK|UK|PROPN|NNP|pobj|5 ,|,|PUNCT|,|punct|7 Norway|Norway|PROPN|NNP|conj|7 ,|,|PUNCT|,|punct|9
        Japan|Japan|PROPN|NNP|conj|9 ,|,|PUNCT|,|punct|11 and|and|CCONJ|CC|cc|11
        France|France|PROPN|NNP|conj|11 to|to|PART|TO|aux|16 discuss|discuss|VERB|VB|advcl|2
        together|together|ADV|RB|advmod|16 .|.|PUNCT|.|punct|2
        """,
        [
            M(7, 8, 'Country'),  # UK
            M(9, 10, 'Country'),  # Norway
            M(11, 12, 'Country'),  # Japan
            M(14, 15, 'Country'),  # France
        ],
        set(),
        id='list-of-countries',
    ),

    pytest.param(
        # Xue Yunhao in Shanghai started a company.
        """
        Xue|Xue|PROPN|NNP|compound|1 Yunhao|Yunhao|PROPN|NNP|nsubj|4 in|in|ADP|IN|prep|1
        Shanghai|Shanghai|PROPN|NNP|pobj|2 started|start|VERB|VBD|ROOT|4 a|a|DET|DT|det|6
        company|company|NOUN|NN|dobj|4 .|.|PUNCT|.|punct|4
        """,
        [
            M(0, 2, 'Person', weight=1.0),  # Xue Yunhao
            M(3, 4, 'City'),  # Shanghai
        ],
        set(),
        id='person-in-place',
    ),
]


@pytest.mark.parametrize(("tokens", "mentions", "expected"), LOCATION)
def test_location(tokens, mentions, expected):
    relations, ctx = run("kg.location.v1", tokens, mentions)
    assert triples(relations, ctx) == expected
