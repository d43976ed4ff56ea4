from django.core.management.base import BaseCommand

from iris.recruiters.roster import roster_rebuild


class Command(BaseCommand):
    help = (
        "Rewrite everything the roster's search reads (each recruiter's normalised names, the "
        "word index and its spellings) from the recruiters as they are. Run it after a bulk load "
        "or a change made in raw SQL; every other change keeps the index up to date by itself."
    )

    def handle(self, *args, **options):
        count = roster_rebuild()
        self.stdout.write(
            self.style.SUCCESS(f"Rebuilt the roster's search index: {count} recruiters.")
        )
