"""Tests of :mod:`kg.extract.facts`: quantities attached to the entity they measure.

Sentences are frozen parses (see ``tests/extract/helpers.py``); the document
date of every case is 2024-05-01 ("last year" is 2023).
"""

from __future__ import annotations

import pytest

from kg.extract.facts import extract_facts, parse_number
from tests.extract.helpers import M, context, described

DOC_DATE = "2024-05-01"

FACTS = [
    pytest.param(
        # In 2022, the actual foreign investment in the Lingang New Area increased from 520 million US dollars in 2020 to 2.04 billion US dollars, and its proportion in Shanghai increased from 2.5% to 9.0%.
        """
        In|in|ADP|IN|prep|12 2022|2022|NUM|CD|pobj|0 ,|,|PUNCT|,|punct|12 the|the|DET|DT|det|6
        actual|actual|ADJ|JJ|amod|6 foreign|foreign|ADJ|JJ|amod|6 investment|investment|NOUN|NN|nsubj|12
        in|in|ADP|IN|prep|6 the|the|DET|DT|det|11 Lingang|Lingang|PROPN|NNP|compound|11
        New|New|PROPN|NNP|compound|11 Area|Area|PROPN|NNP|pobj|7 increased|increase|VERB|VBD|ROOT|12
        from|from|ADP|IN|prep|12 520|520|NUM|CD|compound|15 million|million|NUM|CD|nummod|17
        US|US|PROPN|NNP|compound|17 dollars|dollar|NOUN|NNS|pobj|13 in|in|ADP|IN|prep|12
        2020|2020|NUM|CD|pobj|18 to|to|ADP|IN|prep|12 2.04|2.04|NUM|CD|compound|22
        billion|billion|NUM|CD|nummod|24 US|US|PROPN|NNP|compound|24 dollars|dollar|NOUN|NNS|pobj|20
        ,|,|PUNCT|,|punct|12 and|and|CCONJ|CC|cc|12 its|its|PRON|PRP$|poss|28
        proportion|proportion|NOUN|NN|nsubj|31 in|in|ADP|IN|prep|28 Shanghai|Shanghai|PROPN|NNP|pobj|29
        increased|increase|VERB|VBD|conj|12 from|from|ADP|IN|prep|31 2.5|2.5|NUM|CD|nummod|34
        %|%|NOUN|NN|pobj|32 to|to|ADP|IN|prep|32 9.0|9.0|NUM|CD|nummod|37 %|%|NOUN|NN|pobj|35
        .|.|PUNCT|.|punct|31
        """,
        [
            M(9, 12, 'EconomicZone'),  # Lingang New Area
            M(27, 28, 'EconomicZone', kind='pronoun', ante=0),  # its
            M(30, 31, 'City'),  # Shanghai
        ],
        {
            ('Lingang New Area', 'actual foreign investment', '520000000', 'USD', '2020'),
            ('Lingang New Area', 'actual foreign investment', '2040000000', 'USD', '2022'),
            ('Lingang New Area', 'proportion in Shanghai', '2.5', 'percent', '2022'),
            ('Lingang New Area', 'proportion in Shanghai', '9', 'percent', '2022'),
        },
        id='investment-from-to',
    ),

    pytest.param(
        # Geely Holding Group reported a revenue of 480 billion yuan last year.
        """
        Geely|geely|ADV|RB|compound|2 Holding|Holding|PROPN|NNP|compound|2 Group|Group|PROPN|NNP|nsubj|3
        reported|report|VERB|VBD|ROOT|3 a|a|DET|DT|det|5 revenue|revenue|NOUN|NN|dobj|3 of|of|ADP|IN|prep|5
        480|480|NUM|CD|compound|8 billion|billion|NUM|CD|nummod|9 yuan|yuan|NOUN|NNS|pobj|6
        last|last|ADJ|JJ|amod|11 year|year|NOUN|NN|npadvmod|3 .|.|PUNCT|.|punct|3
        """,
        [
            M(0, 3, 'Company'),  # Geely Holding Group (hand-corrected span)
        ],
        {('Geely Holding Group', 'revenue', '480000000000', 'CNY', '2023')},
        id='revenue-of',
    ),

    pytest.param(
        # In less than a year, the Qingpu Innovation Park has attracted nearly 50 entrepreneurial enterprises.
        """
        In|in|ADP|IN|prep|11 less|less|ADJ|JJR|amod|3 than|than|ADP|IN|quantmod|3 a|a|PRON|DT|nummod|4
        year|year|NOUN|NN|pobj|0 ,|,|PUNCT|,|punct|11 the|the|DET|DT|det|9
        Qingpu|Qingpu|PROPN|NNP|compound|9 Innovation|Innovation|PROPN|NNP|compound|9
        Park|Park|PROPN|NNP|nsubj|11 has|have|AUX|VBZ|aux|11 attracted|attract|VERB|VBN|ROOT|11
        nearly|nearly|ADV|RB|advmod|13 50|50|NUM|CD|nummod|15 entrepreneurial|entrepreneurial|ADJ|JJ|amod|15
        enterprises|enterprise|NOUN|NNS|dobj|11 .|.|PUNCT|.|punct|11
        """,
        [
            M(7, 10, 'EconomicZone'),  # Qingpu Innovation Park
        ],
        {('Qingpu Innovation Park', 'entrepreneurial enterprises attracted', '50', 'count', '2024-05-01')},
        id='count',
    ),

    pytest.param(
        # Sales of Tesla in China rose 20% in 2023.
        """
        Sales|sale|NOUN|NNS|nsubj|5 of|of|ADP|IN|prep|0 Tesla|Tesla|PROPN|NNP|pobj|1 in|in|ADP|IN|prep|2
        China|China|PROPN|NNP|pobj|3 rose|rise|VERB|VBD|ROOT|5 20|20|NUM|CD|nummod|7 %|%|NOUN|NN|npadvmod|5
        in|in|ADP|IN|prep|5 2023|2023|NUM|CD|pobj|8 .|.|PUNCT|.|punct|5
        """,
        [
            M(2, 3, 'Company'),  # Tesla
            M(4, 5, 'Country'),  # China
        ],
        {('Tesla', 'sales growth', '20', 'percent', '2023')},
        id='growth',
    ),

    pytest.param(
        # The company needs 1-2 billion US dollars, and salaries range from 7000 yuan to 10000 yuan.
        """
        The|the|DET|DT|det|1 company|company|NOUN|NN|nsubj|2 needs|need|VERB|VBZ|ROOT|2
        1|1|NUM|CD|quantmod|6 -|-|SYM|SYM|punct|6 2|2|NUM|CD|compound|6 billion|billion|NUM|CD|nummod|8
        US|US|PROPN|NNP|compound|8 dollars|dollar|NOUN|NNS|dobj|2 ,|,|PUNCT|,|punct|2 and|and|CCONJ|CC|cc|2
        salaries|salary|NOUN|NNS|nsubj|12 range|range|VERB|VBP|conj|2 from|from|ADP|IN|prep|12
        7000|7000|NUM|CD|nummod|15 yuan|yuan|NOUN|NNS|pobj|13 to|to|ADP|IN|prep|13
        10000|10000|NUM|CD|nummod|18 yuan|yuan|NOUN|NNS|pobj|16 .|.|PUNCT|.|punct|12
        """,
        [
        ],
        set(),
        id='range-and-no-entity',
    ),
]


@pytest.mark.parametrize(("tokens", "mentions", "expected"), FACTS)
def test_facts(tokens, mentions, expected):
    ctx = context(tokens, mentions)
    facts = extract_facts(ctx, DOC_DATE)
    assert described(facts, ctx) == expected
    assert all(0.0 <= f.confidence <= 1.0 and f.sentence and f.sent_start <= f.sent_end for f in facts)


@pytest.mark.parametrize(
    ("text", "exponent", "value"),
    [("2.04", 9, "2040000000"), ("520", 6, "520000000"), ("1.868", 9, "1868000000"), ("1,800", 0, "1800"),
     ("52.6", 0, "52.6"), ("9.0", 0, "9"), ("0.5", 3, "500"), ("x", 0, None)],
)
def test_numbers_are_exact_decimal_text(text, exponent, value):
    assert parse_number(text, exponent) == value
