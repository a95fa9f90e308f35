"""A credit line "domain/Name" is two names, not one web address (tokenizer only, no model)."""

from __future__ import annotations

import pytest
import spacy

from kg.nlp import keep_credits_apart


@pytest.fixture()
def nlp():
    nlp = spacy.blank("en")
    keep_credits_apart(nlp)
    return nlp


def test_a_credit_line_splits_at_its_slash(nlp):
    words = [t.text for t in nlp("Harbour cranes (news.example.cn/Wang Lifen)")]
    assert words == ["Harbour", "cranes", "(", "news.example.cn", "/", "Wang", "Lifen", ")"]


@pytest.mark.parametrize("address", ["https://example.org/Page", "example.com/about", "www.example.net/a/B",
                                     "example.com/Reports2024"])
def test_web_addresses_stay_one_token(nlp, address):
    assert [t.text for t in nlp(f"See {address} today")] == ["See", address, "today"]


def test_the_pipeline_serialises_with_the_rule_and_keeps_it(nlp):
    again = spacy.blank("en").from_bytes(nlp.to_bytes())
    assert [t.text for t in again("news.example.cn/Wang Lifen")] == ["news.example.cn", "/", "Wang", "Lifen"]
    keep_credits_apart(again)  # applying it twice changes nothing
    assert [t.text for t in again("example.com/about")] == ["example.com/about"]
