"""How text becomes searchable words, the same for what is indexed and what is typed.

Folding (catalogue.text.fold) drops case and every diacritic and maps đ to d, so
"Chè Tân Cương", "CHE TAN CUONG" and NFD input all become "che tan cuong". Shoppers typing
Telex without a Vietnamese keyboard write đ as "dd": a typed "dd" is read as "d".
"""

import re
from collections.abc import Iterable

from catalogue.text import fold

MAX_WORD = 40
MAX_QUERY_WORDS = 8
_WORD = re.compile(r"[a-z0-9]+")

# Field weights: the better the field, the higher a product ranks for a word found there.
TITLE, CODE, PRODUCER, PLACE, TEXT = 8, 6, 4, 2, 1


def words(text: str) -> list[str]:
    """Folded words; "dd" is read as "d" on both sides (indexed and typed), so Telex "dd"
    finds đ and a real "dd" ("pudding") still finds itself."""
    return [word.replace("dd", "d")[:MAX_WORD] for word in _WORD.findall(fold(text))]


def query_words(query: str) -> list[str]:
    """The words of what a shopper typed, duplicates dropped."""
    return list(dict.fromkeys(words(query)))[:MAX_QUERY_WORDS]


def weigh(fields: Iterable[tuple[str, int]]) -> dict[str, int]:
    """Each distinct word of the fields with the highest weight of a field it is in."""
    weights: dict[str, int] = {}
    for text, weight in fields:
        for word in words(text):
            if weights.get(word, 0) < weight:
                weights[word] = weight
    return weights


def prefix_end(prefix: str) -> str:
    """The smallest string above every string that starts with `prefix` (words are
    [a-z0-9] only, so bumping the last character is enough)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)
