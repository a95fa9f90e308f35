"""Tests of ``kg.apposition.v1`` and ``kg.title.v1``: who holds which post where.

Sentences are parsed once by the English pipeline and frozen here (see
``tests/extract/helpers.py``): the rules are tested without the model.
"""

from __future__ import annotations

import pytest

from tests.extract.helpers import M, run, triples

APPOSITION = [
    pytest.param(
        # Dai Juan, Deputy General Manager of Saike Intelligent Technology Co., Ltd., stated that the goal is near.
        """
        Dai|Dai|PROPN|NNP|compound|1 Juan|Juan|PROPN|NNP|nsubj|14 ,|,|PUNCT|,|punct|1
        Deputy|Deputy|PROPN|NNP|compound|5 General|General|PROPN|NNP|compound|5
        Manager|Manager|PROPN|NNP|appos|1 of|of|ADP|IN|prep|5 Saike|Saike|PROPN|NNP|compound|10
        Intelligent|Intelligent|PROPN|NNP|compound|10 Technology|Technology|PROPN|NNP|compound|10
        Co.|Co.|PROPN|NNP|pobj|6 ,|,|PUNCT|,|punct|10 Ltd.|Ltd.|PROPN|NNP|appos|10 ,|,|PUNCT|,|punct|1
        stated|state|VERB|VBD|ROOT|14 that|that|SCONJ|IN|mark|18 the|the|DET|DT|det|17
        goal|goal|NOUN|NN|nsubj|18 is|be|AUX|VBZ|ccomp|14 near|near|ADJ|JJ|acomp|18 .|.|PUNCT|.|punct|14
        """,
        [
            M(0, 2, 'Person', weight=1.0),  # Dai Juan
            M(7, 13, 'Company'),  # Saike Intelligent Technology Co., Ltd.
        ],
        {('Dai Juan', 'worksFor', 'Saike Intelligent Technology Co., Ltd.')},
        id='person-title-of-org',
    ),

    pytest.param(
        # Deputy Director of the Maritime and Port Authority of Singapore, Sig, called on the industry to act.
        """
        Deputy|Deputy|PROPN|NNP|compound|1 Director|Director|PROPN|NNP|nsubj|13 of|of|ADP|IN|prep|1
        the|the|DET|DT|det|7 Maritime|Maritime|PROPN|NNP|nmod|7 and|and|CCONJ|CC|cc|4
        Port|Port|PROPN|NNP|conj|4 Authority|Authority|PROPN|NNP|pobj|2 of|of|ADP|IN|prep|7
        Singapore|Singapore|PROPN|NNP|pobj|8 ,|,|PUNCT|,|punct|1 Sig|Sig|PROPN|NNP|appos|1
        ,|,|PUNCT|,|punct|1 called|call|VERB|VBD|ROOT|13 on|on|ADP|IN|prep|13 the|the|DET|DT|det|16
        industry|industry|NOUN|NN|pobj|14 to|to|PART|TO|aux|18 act|act|VERB|VB|xcomp|13 .|.|PUNCT|.|punct|13
        """,
        [
            M(4, 10, 'GovernmentBody'),  # Maritime and Port Authority of Singapore
            M(11, 12, 'Person'),  # Sig
        ],
        {('Sig', 'worksFor', 'Maritime and Port Authority of Singapore')},
        id='title-of-org-person',
    ),

    pytest.param(
        # Lin Yisong, Director of the Shipping Department of the Lingang New Area Management Committee, said the conference went well.
        """
        Lin|Lin|PROPN|NNP|compound|1 Yisong|Yisong|PROPN|NNP|nsubj|16 ,|,|PUNCT|,|punct|1
        Director|Director|PROPN|NNP|appos|1 of|of|ADP|IN|prep|3 the|the|DET|DT|det|7
        Shipping|Shipping|PROPN|NNP|compound|7 Department|Department|PROPN|NNP|pobj|4 of|of|ADP|IN|prep|7
        the|the|DET|DT|det|14 Lingang|Lingang|PROPN|NNP|compound|14 New|New|PROPN|NNP|compound|12
        Area|Area|PROPN|NNP|compound|14 Management|Management|PROPN|NNP|compound|14
        Committee|Committee|PROPN|NNP|pobj|8 ,|,|PUNCT|,|punct|1 said|say|VERB|VBD|ROOT|16
        the|the|DET|DT|det|18 conference|conference|NOUN|NN|nsubj|19 went|go|VERB|VBD|ccomp|16
        well|well|ADV|RB|advmod|19 .|.|PUNCT|.|punct|16
        """,
        [
            M(0, 2, 'Person', weight=1.0),  # Lin Yisong
            M(6, 8, 'GovernmentBody'),  # Shipping Department
            M(10, 15, 'GovernmentBody'),  # Lingang New Area Management Committee
        ],
        {('Lin Yisong', 'worksFor', 'Shipping Department'), ('Lin Yisong', 'worksFor', 'Lingang New Area Management Committee')},
        id='department-and-parent',
    ),

    pytest.param(
        # Jack Ma, the founder of Alibaba Group, spoke at the forum.
        """
        Jack|Jack|PROPN|NNP|compound|1 Ma|Ma|PROPN|NNP|nsubj|9 ,|,|PUNCT|,|punct|1 the|the|DET|DT|det|4
        founder|founder|NOUN|NN|appos|1 of|of|ADP|IN|prep|4 Alibaba|Alibaba|PROPN|NNP|compound|7
        Group|Group|PROPN|NNP|pobj|5 ,|,|PUNCT|,|punct|1 spoke|speak|VERB|VBD|ROOT|9 at|at|ADP|IN|prep|9
        the|the|DET|DT|det|12 forum|forum|NOUN|NN|pobj|10 .|.|PUNCT|.|punct|9
        """,
        [
            M(0, 2, 'Person', weight=1.0),  # Jack Ma
            M(6, 8, 'Company'),  # Alibaba Group
        ],
        {('Jack Ma', 'founded', 'Alibaba Group')},
        id='founder',
    ),

    pytest.param(
        # Wang Lei later served as a vice president at Huawei Technologies Co., Ltd.
        """
        Wang|Wang|PROPN|NNP|compound|1 Lei|Lei|PROPN|NNP|nsubj|3 later|later|ADV|RB|advmod|3
        served|serve|VERB|VBD|ROOT|3 as|as|ADP|IN|prep|3 a|a|DET|DT|det|7 vice|vice|NOUN|NN|compound|7
        president|president|NOUN|NN|pobj|4 at|at|ADP|IN|prep|7 Huawei|Huawei|PROPN|NNP|compound|11
        Technologies|Technologies|PROPN|NNP|compound|11 Co.|Co.|PROPN|NNP|pobj|8 ,|,|PUNCT|,|punct|11
        Ltd.|Ltd.|PROPN|NNP|appos|11
        """,
        [
            M(0, 2, 'Person', weight=1.0),  # Wang Lei
            M(9, 14, 'Company'),  # Huawei Technologies Co., Ltd.
        ],
        {('Wang Lei', 'worksFor', 'Huawei Technologies Co., Ltd.')},
        id='served-as',
    ),

    pytest.param(
        # Maria Lopez is the chief executive officer of Nordic Shipping Group.
        """
        Maria|Maria|PROPN|NNP|compound|1 Lopez|Lopez|PROPN|NNP|nsubj|2 is|be|AUX|VBZ|ROOT|2
        the|the|DET|DT|det|6 chief|chief|ADJ|JJ|amod|6 executive|executive|ADJ|JJ|amod|6
        officer|officer|NOUN|NN|attr|2 of|of|ADP|IN|prep|6 Nordic|nordic|ADJ|JJ|amod|10
        Shipping|Shipping|PROPN|NNP|compound|10 Group|Group|PROPN|NNP|pobj|7 .|.|PUNCT|.|punct|2
        """,
        [
            M(0, 2, 'Person', weight=1.0),  # Maria Lopez
            M(8, 11, 'Company'),  # Nordic Shipping Group
        ],
        {('Maria Lopez', 'worksFor', 'Nordic Shipping Group')},
        id='is-the-ceo-of',
    ),

    pytest.param(
        # Yang Quan, a delivery rider from Lincang, has once again encountered the toughest season.
        """
        Yang|Yang|PROPN|NNP|compound|1 Quan|Quan|PROPN|NNP|nsubj|12 ,|,|PUNCT|,|punct|1 a|a|DET|DT|det|5
        delivery|delivery|NOUN|NN|compound|5 rider|rider|NOUN|NN|appos|1 from|from|ADP|IN|prep|5
        Lincang|Lincang|PROPN|NNP|pobj|6 ,|,|PUNCT|,|punct|1 has|have|AUX|VBZ|aux|12
        once|once|ADV|RB|advmod|11 again|again|ADV|RB|advmod|12 encountered|encounter|VERB|VBN|ROOT|12
        the|the|DET|DT|det|15 toughest|tough|ADJ|JJS|amod|15 season|season|NOUN|NN|dobj|12
        .|.|PUNCT|.|punct|12
        """,
        [
            M(0, 2, 'Person', weight=1.0),  # Yang Quan
            M(7, 8, 'AdministrativeArea', weight=1.0),  # Lincang
        ],
        {('Yang Quan', 'relatedTo', 'Lincang')},
        id='origin',
    ),

    pytest.param(
        # Dai Juan, a resident of Shanghai, said the park is big.
        """
        Dai|Dai|PROPN|NNP|compound|1 Juan|Juan|PROPN|NNP|nsubj|8 ,|,|PUNCT|,|punct|1 a|a|DET|DT|det|4
        resident|resident|NOUN|NN|appos|1 of|of|ADP|IN|prep|4 Shanghai|Shanghai|PROPN|NNP|pobj|5
        ,|,|PUNCT|,|punct|1 said|say|VERB|VBD|ROOT|8 the|the|DET|DT|det|10 park|park|NOUN|NN|nsubj|11
        is|be|AUX|VBZ|ccomp|8 big|big|ADJ|JJ|acomp|11 .|.|PUNCT|.|punct|8
        """,
        [
            M(0, 2, 'Person', weight=1.0),  # Dai Juan
            M(6, 7, 'City'),  # Shanghai
        ],
        set(),
        id='not-a-title',
    ),

    pytest.param(
        # Tesla, the carmaker, opened a factory.
        """
        Tesla|Tesla|PROPN|NNP|nsubj|5 ,|,|PUNCT|,|punct|0 the|the|DET|DT|det|3
        carmaker|carmaker|NOUN|NN|appos|0 ,|,|PUNCT|,|punct|0 opened|open|VERB|VBD|ROOT|5 a|a|DET|DT|det|7
        factory|factory|NOUN|NN|dobj|5 .|.|PUNCT|.|punct|5
        """,
        [
            M(0, 1, 'Company'),  # Tesla
            M(2, 4, 'Company', kind='description', ante=0),  # the carmaker
        ],
        set(),
        id='no-person',
    ),

    pytest.param(
        # Li Ming, a senior engineer, said the plan works.
        """
        Li|Li|PROPN|NNP|compound|1 Ming|Ming|PROPN|NNP|nsubj|7 ,|,|PUNCT|,|punct|1 a|a|DET|DT|det|5
        senior|senior|ADJ|JJ|amod|5 engineer|engineer|NOUN|NN|appos|1 ,|,|PUNCT|,|punct|1
        said|say|VERB|VBD|ROOT|7 the|the|DET|DT|det|9 plan|plan|NOUN|NN|nsubj|10 works|work|VERB|VBZ|ccomp|7
        .|.|PUNCT|.|punct|7
        """,
        [
            M(0, 2, 'Person', weight=1.0),  # Li Ming
        ],
        set(),
        id='title-without-organization',
    ),
    pytest.param(
        # Vincent Clerc, Chief Executive Officer of Maersk, visited Shanghai in October.
        """
        Vincent|Vincent|PROPN|NNP|compound|1 Clerc|Clerc|PROPN|NNP|nsubj|9 ,|,|PUNCT|,|punct|1
        Chief|Chief|PROPN|NNP|compound|5 Executive|Executive|PROPN|NNP|compound|5
        Officer|Officer|PROPN|NNP|appos|1 of|of|ADP|IN|prep|5 Maersk|Maersk|PROPN|NNP|pobj|6
        ,|,|PUNCT|,|punct|1 visited|visit|VERB|VBD|ROOT|9 Shanghai|Shanghai|PROPN|NNP|dobj|9
        in|in|ADP|IN|prep|9 October|October|PROPN|NNP|pobj|11 .|.|PUNCT|.|punct|9
        """,
        [
            M(0, 2, 'Person', weight=1.0),  # Vincent Clerc
            M(7, 8, 'Product', weight=1.0),  # Maersk
            M(10, 11, 'City'),  # Shanghai
        ],
        {('Vincent Clerc', 'worksFor', 'Maersk')},
        id='ner-product-employer',
    ),
]

TITLE = [
    pytest.param(
        # Apple CEO Tim Cook met Premier Li Qiang in Beijing.
        """
        Apple|Apple|PROPN|NNP|compound|1 CEO|CEO|PROPN|NNP|compound|3 Tim|Tim|PROPN|NNP|compound|3
        Cook|Cook|PROPN|NNP|nsubj|4 met|meet|VERB|VBD|ROOT|4 Premier|Premier|PROPN|NNP|compound|7
        Li|Li|PROPN|NNP|compound|7 Qiang|Qiang|PROPN|NNP|dobj|4 in|in|ADP|IN|prep|4
        Beijing|Beijing|PROPN|NNP|pobj|8 .|.|PUNCT|.|punct|4
        """,
        [
            M(0, 1, 'Organization', weight=1.0),  # Apple
            M(2, 4, 'Person', weight=1.0),  # Tim Cook
            M(6, 8, 'Person', weight=1.0),  # Li Qiang
            M(9, 10, 'City'),  # Beijing
        ],
        {('Tim Cook', 'worksFor', 'Apple')},
        id='org-title-name',
    ),

    pytest.param(
        # Corvin Aviation (CAV) President and CEO Anna Berg retired.
        """
        Corvin|Corvin|PROPN|NNP|compound|1 Aviation|Aviation|PROPN|NNP|nsubj|10 (|(|PUNCT|-LRB-|punct|1
        CAV|CAV|PROPN|NNP|nmod|5 )|)|PUNCT|-RRB-|punct|5 President|President|PROPN|NNP|appos|1
        and|and|CCONJ|CC|cc|5 CEO|CEO|PROPN|NNP|compound|9 Anna|Anna|PROPN|NNP|compound|9
        Berg|Berg|PROPN|NNP|conj|5 retired|retire|VERB|VBD|ROOT|10 .|.|PUNCT|.|punct|10
        """,
        [
            M(0, 2, 'Company'),  # Corvin Aviation
            M(3, 4, 'Company', kind='acronym'),  # CAV
            M(8, 10, 'Person', weight=1.0),  # Anna Berg
        ],
        # a coordinated title, and the organisation's acronym in brackets before it
        {('Anna Berg', 'worksFor', 'CAV')},
        id='org-acronym-titles-name',
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
        {('Chen Jie', 'worksFor', 'Fudan University')},
        id='title-name-of-org',
    ),

    pytest.param(
        # Anna Schmidt from the Technical University of Munich gave a speech.
        """
        Anna|Anna|PROPN|NNP|compound|1 Schmidt|Schmidt|PROPN|NNP|nsubj|8 from|from|ADP|IN|prep|1
        the|the|DET|DT|det|5 Technical|Technical|PROPN|NNP|compound|5 University|University|PROPN|NNP|pobj|2
        of|of|ADP|IN|prep|5 Munich|Munich|PROPN|NNP|pobj|6 gave|give|VERB|VBD|ROOT|8 a|a|DET|DT|det|10
        speech|speech|NOUN|NN|dobj|8 .|.|PUNCT|.|punct|8
        """,
        [
            M(0, 2, 'Person', weight=1.0),  # Anna Schmidt
            M(4, 8, 'EducationalInstitution'),  # Technical University of Munich
        ],
        {('Anna Schmidt', 'worksFor', 'Technical University of Munich')},
        id='name-from-org',
    ),

    pytest.param(
        # One of the signing parties, Geke Micro Co., Ltd., may need 2 billion US dollars. Chairman Zhao Lixin said that the pressure is great.
        """
        One|one|NUM|CD|nsubj|13 of|of|ADP|IN|prep|0 the|the|DET|DT|det|4 signing|signing|NOUN|NN|compound|4
        parties|party|NOUN|NNS|pobj|1 ,|,|PUNCT|,|punct|0 Geke|Geke|PROPN|NNP|compound|8
        Micro|Micro|PROPN|NNP|compound|8 Co.|Co.|PROPN|NNP|appos|0 ,|,|PUNCT|,|punct|8
        Ltd.|Ltd.|PROPN|NNP|appos|8 ,|,|PUNCT|,|punct|8 may|may|AUX|MD|aux|13 need|need|VERB|VB|ROOT|13
        2|2|NUM|CD|compound|15 billion|billion|NUM|CD|nummod|17 US|US|PROPN|NNP|compound|17
        dollars|dollar|NOUN|NNS|dobj|13 .|.|PUNCT|.|punct|13 Chairman|Chairman|PROPN|NNP|compound|21
        Zhao|Zhao|PROPN|NNP|compound|21 Lixin|Lixin|PROPN|NNP|nsubj|22 said|say|VERB|VBD|ROOT|22
        that|that|SCONJ|IN|mark|26 the|the|DET|DT|det|25 pressure|pressure|NOUN|NN|nsubj|26
        is|be|AUX|VBZ|ccomp|22 great|great|ADJ|JJ|acomp|26 .|.|PUNCT|.|punct|22
        """,
        [
            M(6, 11, 'Company'),  # Geke Micro Co., Ltd.
            M(20, 22, 'Person', weight=1.0),  # Zhao Lixin
        ],
        {('Zhao Lixin', 'worksFor', 'Geke Micro Co., Ltd.')},
        id='previous-sentence',
    ),

    pytest.param(
        # Geke Micro Co., Ltd. and Saike Intelligence signed contracts. Chairman Zhao Lixin said that the pressure is great.
        """
        Geke|Geke|PROPN|NNP|compound|2 Micro|Micro|PROPN|NNP|compound|2 Co.|Co.|PROPN|NNP|nsubj|8
        ,|,|PUNCT|,|punct|2 Ltd.|Ltd.|PROPN|NNP|amod|2 and|and|CCONJ|CC|cc|4
        Saike|Saike|PROPN|NNP|compound|7 Intelligence|Intelligence|PROPN|NNP|conj|2
        signed|sign|VERB|VBD|ROOT|8 contracts|contract|NOUN|NNS|dobj|8 .|.|PUNCT|.|punct|8
        Chairman|Chairman|PROPN|NNP|compound|13 Zhao|Zhao|PROPN|NNP|compound|13
        Lixin|Lixin|PROPN|NNP|nsubj|14 said|say|VERB|VBD|ROOT|14 that|that|SCONJ|IN|mark|18
        the|the|DET|DT|det|17 pressure|pressure|NOUN|NN|nsubj|18 is|be|AUX|VBZ|ccomp|14
        great|great|ADJ|JJ|acomp|18 .|.|PUNCT|.|punct|14
        """,
        [
            M(0, 5, 'Company'),  # Geke Micro Co., Ltd.
            M(6, 8, 'Organization', weight=1.0),  # Saike Intelligence
            M(12, 14, 'Person', weight=1.0),  # Zhao Lixin
        ],
        set(),
        id='two-candidates',
    ),

    pytest.param(
        # Zhao Lixin said that the pressure is great.
        """
        Zhao|Zhao|PROPN|NNP|compound|1 Lixin|Lixin|PROPN|NNP|nsubj|2 said|say|VERB|VBD|ROOT|2
        that|that|SCONJ|IN|mark|6 the|the|DET|DT|det|5 pressure|pressure|NOUN|NN|nsubj|6
        is|be|AUX|VBZ|ccomp|2 great|great|ADJ|JJ|acomp|6 .|.|PUNCT|.|punct|2
        """,
        [
            M(0, 2, 'Person', weight=1.0),  # Zhao Lixin
        ],
        set(),
        id='no-title',
    ),
]


@pytest.mark.parametrize(("tokens", "mentions", "expected"), APPOSITION)
def test_apposition(tokens, mentions, expected):
    relations, ctx = run("kg.apposition.v1", tokens, mentions)
    assert triples(relations, ctx) == expected

@pytest.mark.parametrize(("tokens", "mentions", "expected"), TITLE)
def test_title(tokens, mentions, expected):
    relations, ctx = run("kg.title.v1", tokens, mentions)
    assert triples(relations, ctx) == expected


def _case(cases, case_id):
    return next(p.values for p in cases if p.id == case_id)


@pytest.mark.parametrize(
    ("case_id", "roles"),
    [
        ("person-title-of-org", {"Deputy General Manager"}),
        ("title-of-org-person", {"Deputy Director"}),
        ("department-and-parent", {"Director", "Director, Shipping Department"}),
        ("served-as", {"vice president"}),
        ("is-the-ceo-of", {"chief executive officer"}),
    ],
)
def test_the_title_is_the_role(case_id, roles):
    tokens, mentions, _ = _case(APPOSITION, case_id)
    relations, _ = run("kg.apposition.v1", tokens, mentions)
    assert {r.role for r in relations if r.property == "worksFor"} == roles


def test_the_title_before_a_name_is_the_role():
    tokens, mentions, _ = _case(TITLE, "org-title-name")
    relations, _ = run("kg.title.v1", tokens, mentions)
    assert [r.role for r in relations] == ["CEO"]


def test_a_post_from_the_previous_sentence_is_less_sure_and_quotes_both_sentences():
    tokens, mentions, _ = _case(TITLE, "previous-sentence")
    [relation], _ = run("kg.title.v1", tokens, mentions)
    assert relation.confidence < 0.6
    assert relation.sentence.startswith("One of the signing parties") and relation.sentence.endswith("is great.")
    assert relation.sent_start == 0
