"""The English-word finder the admin's browser tests rely on: Wagtail's words are caught,
Vietnamese written without diacritics and the allowed names are not."""

import pytest

from tests.visible_text import SYLLABLE, is_english

WAGTAIL_WORDS = "Page title Workflow tasks MODERATION LIVE Aging Site history Autosave paused"
VIETNAMESE = "cho tin hang Hoan Che Dinh Tan Cuong Thai Nguyen nghieng SKU OCOP Zalo VND"


@pytest.mark.parametrize("word", (WAGTAIL_WORDS + " Updated Type Just now Latest the").split())
def test_wagtails_words_are_english(word):
    assert is_english(word)


@pytest.mark.parametrize("word", VIETNAMESE.split())
def test_vietnamese_without_diacritics_and_names_are_not(word):
    assert not is_english(word)


def test_a_vietnamese_syllable_has_a_vietnamese_shape():
    assert SYLLABLE.fullmatch("nghieng") and SYLLABLE.fullmatch("khuya")
    assert not SYLLABLE.fullmatch("page") and not SYLLABLE.fullmatch("out")
