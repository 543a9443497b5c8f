import sys

from django.core.management.base import BaseCommand

from townhall.ledger.verification import ledger_export_lines


class Command(BaseCommand):
    help = "Write the ledger as JSON lines (to a file or stdout), for offline_verify.py."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="file to write; stdout when omitted")

    def handle(self, *args, path=None, **options):
        out = open(path, "w", encoding="utf-8") if path else sys.stdout  # noqa: SIM115
        try:
            out.writelines(ledger_export_lines())
        finally:
            if path:
                out.close()
