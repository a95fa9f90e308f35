"""Tests of ``kg.names.v1``: relations a name states by itself (invented names)."""

from __future__ import annotations

import pytest

from kg.extract.places import containment
from tests.extract.helpers import M, run, triples


def _sentence(*names: str) -> tuple[str, list[tuple[int, int]]]:
    """ "A and B and C ." as frozen tokens (a flat tree under the first word), and each name's token range."""
    tokens, ranges = [], []
    for k, name in enumerate(names):
        if k:
            tokens.append("and|and|CCONJ|CC|cc|0")
        start = len(tokens)
        for w in name.split():
            tokens.append(f"{w}|{w}|PROPN|NNP|{'ROOT' if not tokens else 'conj'}|0")
        ranges.append((start, len(tokens)))
    tokens.append(".|.|PUNCT|.|punct|0")
    return " ".join(tokens), ranges


def _run(*named: tuple[str, str]):
    tokens, ranges = _sentence(*(n for n, _ in named))
    specs = [M(a, b, cls) for (a, b), (_, cls) in zip(ranges, named)]
    relations, ctx = run("kg.names.v1", tokens, specs)
    return triples(relations, ctx)


@pytest.mark.parametrize(
    "named, expected",
    [
        pytest.param([("Zorblax", "Company"), ("Zorblax Comet", "Product")],
                     {("Zorblax", "produces", "Zorblax Comet")}, id="a-product-named-for-its-maker"),
        pytest.param([("Zorblax", "Company"), ("Zorblax Motor Works", "Company")],
                     {("Zorblax Motor Works", "subOrganizationOf", "Zorblax")}, id="a-unit-named-for-its-parent"),
        pytest.param([("Zorblax", "Company"), ("Zorblax Developer Day", "Event")],
                     {("Zorblax", "organized", "Zorblax Developer Day")}, id="an-event-named-for-its-organiser"),
        pytest.param([("Quendor", "City"), ("Quendor Harbour Port", "Facility")],
                     {("Quendor Harbour Port", "locatedIn", "Quendor")}, id="a-port-named-for-its-city"),
        pytest.param([("Quendor", "City"), ("Quendor Convention Centre", "Facility")],
                     {("Quendor Convention Centre", "locatedIn", "Quendor")}, id="a-venue-named-for-its-city"),
        pytest.param([("Quendor", "City"), ("Board of Trade of Quendor", "GovernmentBody")],
                     {("Board of Trade of Quendor", "administers", "Quendor")}, id="a-body-named-for-the-place-it-governs"),
        pytest.param([("Quendor", "City"), ("Ruritania (Quendor) Free Trade Zone", "EconomicZone")],
                     {("Ruritania (Quendor) Free Trade Zone", "locatedIn", "Quendor")}, id="a-place-in-brackets"),
    ],
)
def test_a_name_built_on_another_name_of_the_text_states_their_relation(named, expected):
    assert _run(*named) == expected


@pytest.mark.parametrize(
    "named",
    [
        pytest.param([("Quendor", "City"), ("Quendor Shipping Company", "Company")], id="a-company-named-for-a-place"),
        pytest.param([("Ruritania", "Country"), ("Ruritania Maritime Museum", "Organization")],
                     id="a-national-label"),
        pytest.param([("Zorblax", "Company"), ("Big Zorblax Fund", "Program")], id="an-owner-not-at-the-start"),
        pytest.param([("Ada Quill", "Person"), ("Ada Quill Prize", "Event")], id="a-person-in-a-prize"),
    ],
)
def test_no_relation_where_the_name_says_nothing_of_it(named):
    assert _run(*named) == set()


def test_an_inner_name_that_is_no_entity_of_the_text_gives_nothing():
    tokens, ranges = _sentence("Quendor Harbour Port", "Zorblax")
    relations, _ = run("kg.names.v1", tokens, [M(*ranges[0], "Facility"), M(*ranges[1], "Company")])
    assert relations == []


def test_the_gazetteer_says_which_place_lies_in_which():
    assert containment("Paris", "France") == "in"
    assert containment("Paris", "Germany") == "out"
    assert containment("France", "Paris") == "wider"
    assert containment("Hungary", "Europe") == "in"
    assert containment("Zorblax", "France") is None
