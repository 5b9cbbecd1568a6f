"""Vietnamese search over the storefront: every typed word must start a word somewhere in
the product (name, code, brand, producer, commune, province, OCOP group, marks, description),
accents and case ignored; products whose *name* holds the words rank first.

Matching is a range scan on the word index (`word >= "che" AND word < "chf"`), which uses
the B-tree on (word, entry) on both SQLite and PostgreSQL; no database-specific folding, so
both databases give the same answers. Ranking only looks at the matched rows.
"""

from django.db.models import Case, Expression, IntegerField, Q, QuerySet, Value, When

from catalogue.models import StorefrontEntry, StorefrontWord

from .words import TITLE, prefix_end, query_words

__all__ = ["matching", "query_words", "rank", "suggest"]

PHRASE_START, PHRASE = 20, 10


def _word_matches(word: str) -> QuerySet:
    return StorefrontWord.objects.filter(word__gte=word, word__lt=prefix_end(word)).values(
        "entry_id"
    )


def matching(qs: QuerySet, words: list[str]) -> QuerySet:
    """Entries of `qs` in which every word starts some indexed word."""
    for word in words:
        qs = qs.filter(pk__in=_word_matches(word))
    return qs


def _in_name(text: str) -> Q:
    return Q(name_folded__startswith=text) | Q(name_folded__contains=f" {text}")


def rank(words: list[str]) -> Expression:
    """Higher for the phrase at the start of (or inside) the name, then per word in the name."""
    phrase = " ".join(words)
    score: Expression = Case(
        When(name_folded__startswith=phrase, then=Value(PHRASE_START)),
        When(name_folded__contains=phrase, then=Value(PHRASE)),
        default=Value(0),
        output_field=IntegerField(),
    )
    for word in words:
        score = score + Case(
            When(_in_name(word), then=Value(TITLE)), default=Value(0), output_field=IntegerField()
        )
    return score


def suggest(text: str, limit: int = 8) -> list[StorefrontEntry]:
    """Autocomplete: the best few products for what has been typed so far (the last word
    is naturally a prefix)."""
    words = query_words(text)
    if not words:
        return []
    return list(
        matching(StorefrontEntry.objects.all(), words)
        .annotate(rank=rank(words))
        .order_by("-rank", "-stars", "-published_at")
        .only("title", "url", "producer_title", "province_name")[:limit]
    )
