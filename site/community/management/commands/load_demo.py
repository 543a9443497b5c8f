"""`manage.py load_demo`: build the demo community once, then print its logins."""

import time
import unicodedata

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site

from deliberation.demo import deliberation_demo_load
from townhall.charters.demo import charter_demo_load
from townhall.community import demo
from townhall.disclosures.demo import disclosure_demo_load
from voting.demo import voting_demo_load

SITE_LOGIN = "/accounts/login/"


def _width(text: str) -> int:
    """Columns a string takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def login_table() -> list[str]:
    """The demo logins, one per role, as aligned lines of text."""
    mfa_roles = set(settings.TOWNHALL_MFA_REQUIRED_ROLES)
    header = ("手机号 (mobile)", "角色 (role)", "姓名「昵称」 (name)", "两步验证 (2FA)")
    rows = [header]
    for login in demo.DEMO_LOGINS:
        rows.append(
            (
                login.phone,
                login.label,
                login.real_name + (f"「{login.display_name}」" if login.display_name else ""),
                "需开启 (required)" if login.role in mfa_roles else "—",
            )
        )
    widths = [max(_width(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return [line.rstrip() for line in lines]


class Command(BaseCommand):
    help = (
        "Build a fictional demo community (晨曦路社区, 3 residents' committees, ~300 "
        "verified residents) unless it exists, then print one login per role."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            community, created = demo.demo_load()
        except ValueError as error:
            raise CommandError(str(error)) from error
        # The disclosure boards are the disclosures app's own demo; it is idempotent too.
        boards_built = disclosure_demo_load(community)
        charter_demo_load(community)
        deliberation_demo_load(community)
        voting_demo_load(community)
        # The admin's header and dashboard name the site after the community, not its
        # hostname ("localhost").
        Site.objects.filter(is_default_site=True).update(site_name=community.name)
        counts = demo.demo_counts()
        where = f"{community.name}（{community.city} {community.district}）"
        if created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"已创建演示社区 (demo community created): {where} "
                    f"in {time.monotonic() - started:.1f}s"
                )
            )
        else:
            self.stdout.write(
                f"演示社区已存在，未作改动 (demo community already there, nothing created): {where}"
            )
        self.stdout.write(
            f"  {counts['committees']} 个居委会 · {counts['grids']} 个网格 · "
            f"{counts['households']} 户 · {counts['residents']} 位已核验居民 · "
            f"{counts['pending']} 条待核验申请\n"
            "  (residents' committees · grids · households · verified residents · "
            "claims awaiting verification)"
        )
        if boards_built:
            self.stdout.write("  已建居务公开栏 (disclosure boards built): 每个居委会一个")
        self.stdout.write("")
        self.stdout.write(
            f"演示账号 (demo logins) — 用手机号登录 (sign in with the mobile number) at "
            f"{settings.WAGTAILADMIN_BASE_URL}{SITE_LOGIN}"
        )
        committee, (grid, estate) = demo.COMMITTEES[0], demo.COMMITTEES[0].grids[0]
        self.stdout.write(
            f"  所在 (where): {committee.name}；网格员负责{grid}；"
            f"居民住{estate.name}{demo.DEMO_RESIDENT_ADDRESS}"
        )
        for line in login_table():
            self.stdout.write("  " + line)
        self.stdout.write("")
        self.stdout.write(
            f"密码 (password), 所有演示账号相同 (same for every demo account): {demo.PASSWORD}"
        )
        self.stdout.write(
            "后台 (/cms/, /django-admin/) 也用手机号在同一登录页登录 "
            "(the admins use the same sign-in page, with the mobile number)."
        )
        self.stdout.write(
            self.style.WARNING(
                "居委会委员、主任、居务监督委员会成员和社区工作者以这些身份办事前，"
                "系统会要求先开启两步验证 (TOTP)。\n"
                "(Committee members, the chair, supervisors and staff will be asked to turn "
                "on two-step verification (TOTP) before acting in those roles.)"
            )
        )
