"""Tests of ``kg.verb_frames.v1``: core relations stated by a verb.

Sentences are parsed once by the English pipeline and frozen here (see
``tests/extract/helpers.py``): the rules are tested without the model.
"""

from __future__ import annotations

import pytest

from tests.extract.helpers import M, run, triples

FRAMES = [
    pytest.param(
        # At the end of last year, Lingang New Area signed a strategic cooperation agreement with Dubai Jebel Ali Free Trade Zone.
        """
        At|at|ADP|IN|prep|10 the|the|DET|DT|det|2 end|end|NOUN|NN|pobj|0 of|of|ADP|IN|prep|2
        last|last|ADJ|JJ|amod|5 year|year|NOUN|NN|pobj|3 ,|,|PUNCT|,|punct|10
        Lingang|Lingang|PROPN|NNP|compound|9 New|New|PROPN|NNP|compound|9 Area|Area|PROPN|NNP|nsubj|10
        signed|sign|VERB|VBD|ROOT|10 a|a|DET|DT|det|14 strategic|strategic|ADJ|JJ|amod|14
        cooperation|cooperation|NOUN|NN|compound|14 agreement|agreement|NOUN|NN|dobj|10
        with|with|ADP|IN|prep|14 Dubai|Dubai|PROPN|NNP|compound|21 Jebel|Jebel|PROPN|NNP|compound|21
        Ali|Ali|PROPN|NNP|compound|21 Free|Free|PROPN|NNP|compound|20 Trade|Trade|PROPN|NNP|compound|21
        Zone|Zone|PROPN|NNP|pobj|15 .|.|PUNCT|.|punct|10
        """,
        [
            M(7, 10, 'EconomicZone'),  # Lingang New Area
            M(16, 22, 'EconomicZone'),  # Dubai Jebel Ali Free Trade Zone
        ],
        {('Lingang New Area', 'partnerOf', 'Dubai Jebel Ali Free Trade Zone')},
        id='signed-with',
    ),

    pytest.param(
        # Siemens AG and Alibaba Group signed a strategic cooperation agreement.
        """
        Siemens|Siemens|PROPN|NNP|compound|1 AG|AG|PROPN|NNP|nsubj|5 and|and|CCONJ|CC|cc|1
        Alibaba|Alibaba|PROPN|NNP|compound|4 Group|Group|PROPN|NNP|conj|1 signed|sign|VERB|VBD|ROOT|5
        a|a|DET|DT|det|9 strategic|strategic|ADJ|JJ|amod|9 cooperation|cooperation|NOUN|NN|compound|9
        agreement|agreement|NOUN|NN|dobj|5 .|.|PUNCT|.|punct|5
        """,
        [
            M(0, 2, 'Company'),  # Siemens AG
            M(3, 5, 'Company'),  # Alibaba Group
        ],
        {('Siemens AG', 'partnerOf', 'Alibaba Group')},
        id='signed-coordination',
    ),

    pytest.param(
        # In July this year, the Lingang New Area held the first Dishui Lake Shipping Innovation Conference.
        """
        In|in|ADP|IN|prep|9 July|July|PROPN|NNP|pobj|0 this|this|DET|DT|det|3 year|year|NOUN|NN|npadvmod|1
        ,|,|PUNCT|,|punct|9 the|the|DET|DT|det|8 Lingang|Lingang|PROPN|NNP|compound|8
        New|New|PROPN|NNP|compound|8 Area|Area|PROPN|NNP|nsubj|9 held|hold|VERB|VBD|ROOT|9
        the|the|DET|DT|det|16 first|first|ADJ|JJ|amod|16 Dishui|Dishui|PROPN|NNP|compound|16
        Lake|Lake|PROPN|NNP|compound|14 Shipping|Shipping|PROPN|NNP|compound|15
        Innovation|Innovation|PROPN|NNP|compound|16 Conference|Conference|PROPN|NNP|dobj|9
        .|.|PUNCT|.|punct|9
        """,
        [
            M(6, 9, 'EconomicZone'),  # Lingang New Area
            M(12, 17, 'Event'),  # Dishui Lake Shipping Innovation Conference
        ],
        {('Lingang New Area', 'organized', 'Dishui Lake Shipping Innovation Conference')},
        id='held-event',
    ),

    pytest.param(
        # Xue Yunhao likes toys. Shanghai Shike Fun Culture and Technology Co., Ltd., founded by him, has entered the right track.
        """
        Xue|Xue|PROPN|NNP|compound|1 Yunhao|Yunhao|PROPN|NNP|nsubj|2 likes|like|VERB|VBZ|ROOT|2
        toys|toy|NOUN|NNS|dobj|2 .|.|PUNCT|.|punct|2 Shanghai|Shanghai|PROPN|NNP|nmod|11
        Shike|Shike|PROPN|NNP|compound|8 Fun|Fun|PROPN|NNP|nmod|8 Culture|Culture|PROPN|NNP|nmod|11
        and|and|CCONJ|CC|cc|8 Technology|Technology|PROPN|NNP|compound|11 Co.|Co.|PROPN|NNP|nsubj|20
        ,|,|PUNCT|,|punct|11 Ltd.|Ltd.|PROPN|NNP|npadvmod|11 ,|,|PUNCT|,|punct|11
        founded|found|VERB|VBN|acl|11 by|by|ADP|IN|agent|15 him|he|PRON|PRP|pobj|16 ,|,|PUNCT|,|punct|11
        has|have|AUX|VBZ|aux|20 entered|enter|VERB|VBN|ROOT|20 the|the|DET|DT|det|23
        right|right|ADJ|JJ|amod|23 track|track|NOUN|NN|dobj|20 .|.|PUNCT|.|punct|20
        """,
        [
            M(0, 2, 'Person', weight=1.0),  # Xue Yunhao
            M(5, 14, 'Company'),  # Shanghai Shike Fun Culture and Technology Co., Ltd.
            M(17, 18, 'Person', kind='pronoun', ante=0),  # him
        ],
        {('Xue Yunhao', 'founded', 'Shanghai Shike Fun Culture and Technology Co., Ltd.')},
        id='founded-by-pronoun',
    ),

    pytest.param(
        # Xue Yunhao is young. After graduating from Loughborough University in the UK, he has had two ventures.
        """
        Xue|Xue|PROPN|NNP|compound|1 Yunhao|Yunhao|PROPN|NNP|nsubj|2 is|be|AUX|VBZ|ROOT|2
        young|young|ADJ|JJ|acomp|2 .|.|PUNCT|.|punct|2 After|after|ADP|IN|prep|16
        graduating|graduate|VERB|VBG|pcomp|5 from|from|ADP|IN|prep|6
        Loughborough|Loughborough|PROPN|NNP|compound|9 University|University|PROPN|NNP|pobj|7
        in|in|ADP|IN|prep|6 the|the|DET|DT|det|12 UK|UK|PROPN|NNP|pobj|10 ,|,|PUNCT|,|punct|16
        he|he|PRON|PRP|nsubj|16 has|have|AUX|VBZ|aux|16 had|have|VERB|VBN|ROOT|16 two|two|NUM|CD|nummod|18
        ventures|venture|NOUN|NNS|dobj|16 .|.|PUNCT|.|punct|16
        """,
        [
            M(0, 2, 'Person', weight=1.0),  # Xue Yunhao
            M(8, 10, 'EducationalInstitution'),  # Loughborough University
            M(12, 13, 'Country'),  # UK
            M(14, 15, 'Person', kind='pronoun', ante=0),  # he
        ],
        {('Xue Yunhao', 'alumniOf', 'Loughborough University')},
        id='graduating-from',
    ),

    pytest.param(
        # In September last year, the Qingpu Innovation Park located in the Hongqiao Business District officially opened.
        """
        In|in|ADP|IN|prep|16 September|September|PROPN|NNP|pobj|0 last|last|ADJ|JJ|amod|3
        year|year|NOUN|NN|npadvmod|16 ,|,|PUNCT|,|punct|16 the|the|DET|DT|det|8
        Qingpu|Qingpu|PROPN|NNP|compound|8 Innovation|Innovation|PROPN|NNP|compound|8
        Park|Park|PROPN|NNP|nsubj|16 located|locate|VERB|VBN|acl|8 in|in|ADP|IN|prep|9 the|the|DET|DT|det|14
        Hongqiao|Hongqiao|PROPN|NNP|compound|14 Business|Business|PROPN|NNP|compound|14
        District|District|PROPN|NNP|pobj|10 officially|officially|ADV|RB|advmod|16
        opened|open|VERB|VBD|ROOT|16 .|.|PUNCT|.|punct|16
        """,
        [
            M(6, 9, 'EconomicZone'),  # Qingpu Innovation Park
            M(12, 15, 'EconomicZone'),  # Hongqiao Business District
        ],
        {('Qingpu Innovation Park', 'locatedIn', 'Hongqiao Business District')},
        id='located-in',
    ),

    pytest.param(
        # The photo exhibition jointly organized by the China Maritime Museum and the Shanghai Marine Affairs Center was a success.
        """
        The|the|DET|DT|det|2 photo|photo|NOUN|NN|compound|2 exhibition|exhibition|NOUN|NN|nsubj|16
        jointly|jointly|ADV|RB|advmod|4 organized|organize|VERB|VBN|acl|2 by|by|ADP|IN|agent|4
        the|the|DET|DT|det|9 China|China|PROPN|NNP|compound|9 Maritime|Maritime|PROPN|NNP|compound|9
        Museum|Museum|PROPN|NNP|pobj|5 and|and|CCONJ|CC|cc|9 the|the|DET|DT|det|15
        Shanghai|Shanghai|PROPN|NNP|compound|15 Marine|Marine|PROPN|NNP|compound|14
        Affairs|Affairs|PROPN|NNPS|compound|15 Center|Center|PROPN|NNP|conj|9 was|be|AUX|VBD|ROOT|16
        a|a|DET|DT|det|18 success|success|NOUN|NN|attr|16 .|.|PUNCT|.|punct|16
        """,
        [
            M(7, 10, 'Organization'),  # China Maritime Museum
            M(12, 16, 'Organization'),  # Shanghai Marine Affairs Center
        ],
        set(),
        id='organized-by-coordination',
    ),

    pytest.param(
        # On June 19th, the Shanghai Career Theme Day was held at the Haikuo Cultural and Creative Industry Park.
        """
        On|on|ADP|IN|prep|10 June|June|PROPN|NNP|compound|2 19th|19th|NOUN|NN|pobj|0 ,|,|PUNCT|,|punct|10
        the|the|DET|DT|det|8 Shanghai|Shanghai|PROPN|NNP|compound|8 Career|Career|PROPN|NNP|compound|7
        Theme|Theme|PROPN|NNP|compound|8 Day|Day|PROPN|NNP|nsubjpass|10 was|be|AUX|VBD|auxpass|10
        held|hold|VERB|VBN|ROOT|10 at|at|ADP|IN|prep|10 the|the|DET|DT|det|14
        Haikuo|Haikuo|PROPN|NNP|nmod|14 Cultural|Cultural|PROPN|NNP|pobj|11 and|and|CCONJ|CC|cc|14
        Creative|Creative|PROPN|NNP|compound|18 Industry|Industry|PROPN|NNP|compound|18
        Park|Park|PROPN|NNP|conj|14 .|.|PUNCT|.|punct|10
        """,
        [
            M(5, 9, 'Event'),  # Shanghai Career Theme Day
            M(13, 19, 'EconomicZone'),  # Haikuo Cultural and Creative Industry Park
        ],
        {('Shanghai Career Theme Day', 'locatedIn', 'Haikuo Cultural and Creative Industry Park')},
        id='held-at',
    ),

    pytest.param(
        # The Dubai Free Trade Zone has implemented the "World Logistics Passport" program in multiple countries.
        """
        The|the|DET|DT|det|4 Dubai|Dubai|PROPN|NNP|compound|4 Free|Free|PROPN|NNP|compound|3
        Trade|Trade|PROPN|NNP|compound|4 Zone|Zone|PROPN|NNP|nsubj|6 has|have|AUX|VBZ|aux|6
        implemented|implement|VERB|VBN|ROOT|6 the|the|DET|DT|det|13 "|"|PUNCT|``|punct|13
        World|World|PROPN|NNP|nmod|11 Logistics|Logistics|PROPN|NNP|nmod|11
        Passport|Passport|PROPN|NNP|nmod|13 "|"|PUNCT|''|punct|13 program|program|NOUN|NN|dobj|6
        in|in|ADP|IN|prep|13 multiple|multiple|ADJ|JJ|amod|16 countries|country|NOUN|NNS|pobj|14
        .|.|PUNCT|.|punct|6
        """,
        [
            M(1, 5, 'EconomicZone'),  # Dubai Free Trade Zone
            M(9, 12, 'Program'),  # World Logistics Passport
        ],
        {('Dubai Free Trade Zone', 'issued', 'World Logistics Passport')},
        id='implemented-program',
    ),

    pytest.param(
        # Tesla, SAIC MG and other new energy vehicles, as well as engineering machinery such as Sany Heavy Industry, have also begun to achieve large-scale exports in Nangang.
        """
        Tesla|Tesla|PROPN|NNP|npadvmod|23 ,|,|PUNCT|,|punct|23 SAIC|SAIC|PROPN|NNP|compound|3
        MG|MG|PROPN|NNP|npadvmod|23 and|and|CCONJ|CC|cc|3 other|other|ADJ|JJ|amod|8 new|new|ADJ|JJ|amod|8
        energy|energy|NOUN|NN|compound|8 vehicles|vehicle|NOUN|NNS|conj|3 ,|,|PUNCT|,|punct|3
        as|as|ADV|RB|advmod|12 well|well|ADV|RB|advmod|12 as|as|ADP|IN|cc|3
        engineering|engineering|NOUN|NN|compound|14 machinery|machinery|NOUN|NN|conj|3
        such|such|ADJ|JJ|amod|16 as|as|ADP|IN|prep|14 Sany|Sany|PROPN|NNP|compound|19
        Heavy|Heavy|PROPN|NNP|compound|19 Industry|Industry|PROPN|NNP|pobj|16 ,|,|PUNCT|,|punct|23
        have|have|AUX|VBP|aux|23 also|also|ADV|RB|advmod|23 begun|begin|VERB|VBN|ROOT|23
        to|to|PART|TO|aux|25 achieve|achieve|VERB|VB|xcomp|23 large|large|ADJ|JJ|amod|28
        -|-|PUNCT|HYPH|punct|28 scale|scale|NOUN|NN|compound|29 exports|export|NOUN|NNS|dobj|25
        in|in|ADP|IN|prep|29 Nangang|Nangang|PROPN|NNP|pobj|30 .|.|PUNCT|.|punct|23
        """,
        [
            M(0, 1, 'Company'),  # Tesla
            M(2, 4, 'Person', weight=1.0),  # SAIC MG
            M(17, 20, 'Company'),  # Sany Heavy Industry
            M(31, 32, 'AdministrativeArea', weight=1.0),  # Nangang
        ],
        {('Tesla', 'operatesIn', 'Nangang'), ('SAIC MG', 'operatesIn', 'Nangang'), ('Sany Heavy Industry', 'operatesIn', 'Nangang')},
        id='exports-in',
    ),

    pytest.param(
        # On June 30th, the Xinzhuang Industrial Zone in Shanghai held a groundbreaking ceremony. Seven manufacturing projects, including Foster, Junjian Junze, and Aohua Endoscopy, began construction simultaneously.
        """
        On|on|ADP|IN|prep|10 June|June|PROPN|NNP|compound|2 30th|30th|NOUN|NN|pobj|0 ,|,|PUNCT|,|punct|10
        the|the|DET|DT|det|7 Xinzhuang|Xinzhuang|PROPN|NNP|compound|7
        Industrial|Industrial|PROPN|NNP|compound|7 Zone|Zone|PROPN|NNP|nsubj|10 in|in|ADP|IN|prep|7
        Shanghai|Shanghai|PROPN|NNP|pobj|8 held|hold|VERB|VBD|ROOT|10 a|a|DET|DT|det|13
        groundbreaking|groundbreaking|NOUN|NN|compound|13 ceremony|ceremony|NOUN|NN|dobj|10
        .|.|PUNCT|.|punct|10 Seven|seven|NUM|CD|nummod|17 manufacturing|manufacturing|NOUN|NN|compound|17
        projects|project|NOUN|NNS|nsubj|29 ,|,|PUNCT|,|punct|17 including|include|VERB|VBG|prep|17
        Foster|Foster|PROPN|NNP|pobj|19 ,|,|PUNCT|,|punct|20 Junjian|junjian|ADJ|JJ|amod|23
        Junze|Junze|PROPN|NNP|conj|20 ,|,|PUNCT|,|punct|20 and|and|CCONJ|CC|cc|20
        Aohua|Aohua|PROPN|NNP|compound|27 Endoscopy|Endoscopy|PROPN|NNP|conj|20 ,|,|PUNCT|,|punct|17
        began|begin|VERB|VBD|ROOT|29 construction|construction|NOUN|NN|dobj|29
        simultaneously|simultaneously|ADV|RB|advmod|29 .|.|PUNCT|.|punct|29
        """,
        [
            M(5, 8, 'EconomicZone'),  # Xinzhuang Industrial Zone
            M(9, 10, 'City'),  # Shanghai
            M(20, 21, 'Person', weight=1.0),  # Foster
            M(22, 24, 'Person', weight=1.0),  # Junjian Junze
            M(26, 28, 'Person', weight=1.0),  # Aohua Endoscopy
        ],
        {('Foster', 'operatesIn', 'Xinzhuang Industrial Zone'), ('Junjian Junze', 'operatesIn', 'Xinzhuang Industrial Zone'), ('Aohua Endoscopy', 'operatesIn', 'Xinzhuang Industrial Zone')},
        id='construction-in-topic-place',
    ),

    pytest.param(
        # In June this year, the State Council issued a document supporting the pilot.
        """
        In|in|ADP|IN|prep|8 June|June|PROPN|NNP|pobj|0 this|this|DET|DT|det|3 year|year|NOUN|NN|npadvmod|8
        ,|,|PUNCT|,|punct|8 the|the|DET|DT|det|7 State|State|PROPN|NNP|compound|7
        Council|Council|PROPN|NNP|nsubj|8 issued|issue|VERB|VBD|ROOT|8 a|a|DET|DT|det|10
        document|document|NOUN|NN|dobj|8 supporting|support|VERB|VBG|acl|10 the|the|DET|DT|det|13
        pilot|pilot|NOUN|NN|dobj|11 .|.|PUNCT|.|punct|8
        """,
        [
            M(6, 8, 'GovernmentBody'),  # State Council
        ],
        set(),
        id='no-program',
    ),

    pytest.param(
        # The conference was held in July.
        """
        The|the|DET|DT|det|1 conference|conference|NOUN|NN|nsubjpass|3 was|be|AUX|VBD|auxpass|3
        held|hold|VERB|VBN|ROOT|3 in|in|ADP|IN|prep|3 July|July|PROPN|NNP|pobj|4 .|.|PUNCT|.|punct|3
        """,
        [
        ],
        set(),
        id='no-event',
    ),
    pytest.param(
        # The Shanghai International Port Group, which operates the Yangshan Deep Water Port, expects more growth.
        """
        The|the|DET|DT|det|4 Shanghai|Shanghai|PROPN|NNP|compound|4
        International|International|PROPN|NNP|compound|4 Port|Port|PROPN|NNP|compound|4
        Group|Group|PROPN|NNP|nsubj|14 ,|,|PUNCT|,|punct|4 which|which|PRON|WDT|nsubj|7
        operates|operate|VERB|VBZ|relcl|4 the|the|DET|DT|det|12 Yangshan|Yangshan|PROPN|NNP|compound|12
        Deep|Deep|PROPN|NNP|compound|12 Water|Water|PROPN|NNP|compound|12 Port|Port|PROPN|NNP|dobj|7
        ,|,|PUNCT|,|punct|4 expects|expect|VERB|VBZ|ROOT|14 more|more|ADJ|JJR|amod|16
        growth|growth|NOUN|NN|dobj|14 .|.|PUNCT|.|punct|14
        """,
        [
            M(1, 5, 'Company'),  # Shanghai International Port Group
            M(9, 13, 'Facility'),  # Yangshan Deep Water Port
        ],
        {('Shanghai International Port Group', 'administers', 'Yangshan Deep Water Port')},
        id='operates-port',
    ),

    pytest.param(
        # Microsoft and OpenAI announced a partnership.
        """
        Microsoft|Microsoft|PROPN|NNP|nsubj|3 and|and|CCONJ|CC|cc|0 OpenAI|OpenAI|PROPN|NNP|conj|0
        announced|announce|VERB|VBD|ROOT|3 a|a|DET|DT|det|5 partnership|partnership|NOUN|NN|dobj|3
        .|.|PUNCT|.|punct|3
        """,
        [
            M(0, 1, 'Organization', weight=1.0),  # Microsoft
            M(2, 3, 'Organization', weight=1.0),  # OpenAI
        ],
        {('Microsoft', 'partnerOf', 'OpenAI')},
        id='announced-partnership',
    ),

    pytest.param(
        # Geely Automobile announced a partnership with Baidu Inc. last week.
        """
        Geely|geely|ADV|RB|advmod|1 Automobile|Automobile|PROPN|NNP|nsubj|2
        announced|announce|VERB|VBD|ROOT|2 a|a|DET|DT|det|4 partnership|partnership|NOUN|NN|dobj|2
        with|with|ADP|IN|prep|4 Baidu|Baidu|PROPN|NNP|compound|7 Inc.|Inc.|PROPN|NNP|pobj|5
        last|last|ADJ|JJ|amod|9 week|week|NOUN|NN|npadvmod|2 .|.|PUNCT|.|punct|2
        """,
        [
            M(0, 2, 'Organization', weight=1.0),  # Geely Automobile
            M(6, 8, 'Company'),  # Baidu Inc.
        ],
        {('Geely Automobile', 'partnerOf', 'Baidu Inc.')},
        id='partnership-with',
    ),
]


@pytest.mark.parametrize(("tokens", "mentions", "expected"), FRAMES)
def test_verb_frames(tokens, mentions, expected):
    relations, ctx = run("kg.verb_frames.v1", tokens, mentions)
    assert triples(relations, ctx) == expected
