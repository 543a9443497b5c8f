from django.core.management.base import BaseCommand, CommandError

from townhall.ledger.verification import ledger_verify


class Command(BaseCommand):
    help = "Re-verify the whole ledger chain and every referenced record's current content."

    def handle(self, *args, **options):
        result = ledger_verify()
        if not result.ok:
            raise CommandError(
                f"Ledger NOT verified: entry #{result.first_bad_seq} {result.reason} "
                f"({result.checked} entries before it hold)."
            )
        self.stdout.write(
            f"Ledger verified: {result.checked} entries; fingerprint {result.fingerprint or '-'}"
        )
