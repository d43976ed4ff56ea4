"""The roster's search index: one row per word of a listed recruiter's names, and the spellings
one slip away from each word. Written only by `roster.roster_index`, which the services call."""

from django.db import models

from .models import Recruiter

ROSTER_WORD_LENGTH = 100


class RosterWord(models.Model):
    """One word of a listed recruiter's names, with what the roster sorts and filters it by.

    The roster's search index: a search reads a few index entries per word, in name order, and
    never the recruiters themselves. Rewritten by `roster.roster_index` whenever a recruiter,
    its countries or its sectors change; only accredited and suspended recruiters have words
    (the date their accreditation lapses is checked at search time).
    """

    # Indexed by the unique constraint, which leads with it.
    recruiter = models.ForeignKey(
        Recruiter, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    word = models.CharField(max_length=ROSTER_WORD_LENGTH)
    legal_name = models.CharField(max_length=200)
    valid_until = models.DateField()
    # Space-separated and space-ended codes (" GB RO "): a filter is one `contains` on the index
    # entry itself. Countries are the head office's and every country of operation.
    countries = models.TextField()
    sectors = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recruiter", "word"],
                name="iris_rosterword_once",
                opclasses=["", "varchar_pattern_ops"],
            ),
        ]
        indexes = [
            # Words by prefix (the pattern operator class), then in the roster's order, with the
            # filters carried in the entry: a search is an index-only scan.
            models.Index(
                fields=["word", "legal_name", "recruiter"],
                name="iris_rosterword_search",
                opclasses=["varchar_pattern_ops", "", ""],
                include=["valid_until", "countries", "sectors"],
            ),
        ]

    def __str__(self) -> str:
        return self.word


class RosterSpelling(models.Model):
    """A spelling one slip away from a word on the roster: where a misspelt word finds it.

    Each word is stored under itself and under every spelling with one of its letters left out.
    A word typed with a letter dropped, added, changed or two swapped shares one of those
    spellings with the word meant, so one indexed lookup finds it, on either database. Only
    ever added to: a word nobody uses any more is offered as a spelling that finds no one.
    """

    variant = models.CharField(max_length=ROSTER_WORD_LENGTH)
    word = models.CharField(max_length=ROSTER_WORD_LENGTH)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["variant", "word"], name="iris_rosterspelling_once")
        ]

    def __str__(self) -> str:
        return f"{self.variant} → {self.word}"
