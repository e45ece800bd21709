"""Write each open need's K best IKMs, as stored, to a CSV file."""

import csv

from django.core.management.base import BaseCommand, CommandError, CommandParser

from matchmaking.enums import NeedStatus
from matchmaking.models import Suggestion
from matchmaking.recompute import SUGGESTIONS_PER_NEED


class Command(BaseCommand):
    help = (
        "Write, for every open need, its K best IKMs from the stored suggestions: columns need_ref, ikm_ref, "
        "rank, score (rank from 1). need_ref and ikm_ref are the records' import references (`ref`); when a "
        "record has no ref, its database id (pk) is written instead. Run `match` first for fresh suggestions."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--top", type=int, default=10, help=f"K, 1 to {SUGGESTIONS_PER_NEED} (default 10)")
        parser.add_argument("--out", required=True, help="CSV file to write (UTF-8)")

    def handle(self, *args, **options) -> None:
        top = options["top"]
        if not 1 <= top <= SUGGESTIONS_PER_NEED:
            raise CommandError(f"--top must be between 1 and {SUGGESTIONS_PER_NEED}")
        rows = (
            Suggestion.objects.filter(need__status=NeedStatus.OPEN, rank__lte=top)
            .order_by("need_id", "rank")
            .values_list("need__ref", "need_id", "ikm__ref", "ikm_id", "rank", "score")
        )
        written = 0
        with open(options["out"], "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["need_ref", "ikm_ref", "rank", "score"])
            for need_ref, need_id, ikm_ref, ikm_id, rank, score in rows.iterator(chunk_size=5000):
                writer.writerow([need_ref or need_id, ikm_ref or ikm_id, rank, repr(float(score))])
                written += 1
        self.stdout.write(f"{written} rows written to {options['out']}")
