"""End to end on an article of our own invention (not the dev corpus): relations
come out with their evidence, and co-occurrence alone links nothing."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.model

ARTICLE = """Robotics makers expand in the south

Release time: May 3, 2023 09:00 AM

Wang Ming, General Manager of Shenzhen Port Group Co., Ltd., said the port will grow. Founded in 1998, the company is headquartered in Nanshan District.

Li Hua, who graduated from Tsinghua University, founded Aurora Robotics Ltd. in 2015. The company is a subsidiary of Beijing Tech Holdings.

Sanya, Hainan, hosted the China International Consumer Products Expo, which was organized by the Hainan Provincial People's Government. Apple CEO Tim Cook met Premier Li Qiang in Beijing. Siemens AG and Alibaba Group signed a strategic cooperation agreement.

In 2023, the revenue of BYD Company Limited rose from 424 billion yuan in 2022 to 602 billion yuan.
"""

EXPECTED = {
    ("Wang Ming", "worksFor", "Shenzhen Port Group Co., Ltd."),
    ("Shenzhen Port Group Co., Ltd.", "locatedIn", "Nanshan District"),
    ("Li Hua", "alumniOf", "Tsinghua University"),
    ("Li Hua", "founded", "Aurora Robotics Ltd."),
    ("Aurora Robotics Ltd.", "subOrganizationOf", "Beijing Tech Holdings"),
    ("Sanya", "locatedIn", "Hainan"),
    ("Hainan Provincial People's Government", "organized", "China International Consumer Products Expo"),
    ("Tim Cook", "worksFor", "Apple"),
}


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    import kg

    path = tmp_path_factory.mktemp("invented") / "robotics.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return kg.build([path])


def _triples(graph):
    label = {e.iri: e.label for e in graph.entities}
    return {(label[s.subject], s.property, label[s.object]) for s in graph.statements}


def test_relations_of_an_unseen_article(graph):
    assert EXPECTED <= _triples(graph)


def test_partners_either_way(graph):
    found = _triples(graph)
    assert ("Siemens AG", "partnerOf", "Alibaba Group") in found or ("Alibaba Group", "partnerOf", "Siemens AG") in found


def test_no_link_from_co_occurrence_alone(graph):
    found = {frozenset((s, o)) for s, _p, o in _triples(graph)}
    assert frozenset(("Tim Cook", "Beijing")) not in found
    assert frozenset(("Apple", "Li Qiang")) not in found
    assert frozenset(("Wang Ming", "Nanshan District")) not in found


def test_evidence_points_at_the_sentence(graph):
    text = ARTICLE
    for s in graph.statements:
        for ev in s.evidence:
            assert " ".join(text[ev.sent_start : ev.sent_end].split()) == ev.sentence
            assert ev.sent_start <= ev.subject_start < ev.subject_end <= ev.sent_end
            assert ev.sent_start <= ev.object_start < ev.object_end <= ev.sent_end


def test_revenue_observations(graph):
    byd = graph.entity("BYD Company Limited")
    assert {(o.value, o.unit, o.date) for o in graph.observations if o.subject == byd.iri} == {
        ("424000000000", "CNY", "2022"),
        ("602000000000", "CNY", "2023"),
    }
