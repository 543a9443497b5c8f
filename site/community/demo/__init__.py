"""A believable, deterministic demo community for local runs and demos (`manage.py load_demo`)."""

from .build import demo_build, demo_community, demo_counts, demo_load
from .data import (
    ADMIN,
    COMMITTEES,
    COMMUNITY_SLUG,
    DEMO_LOGINS,
    DEMO_RESIDENT_ADDRESS,
    PASSWORD,
    PENDING_CLAIMS,
)

__all__ = [
    "ADMIN",
    "COMMITTEES",
    "COMMUNITY_SLUG",
    "DEMO_LOGINS",
    "DEMO_RESIDENT_ADDRESS",
    "PASSWORD",
    "PENDING_CLAIMS",
    "demo_build",
    "demo_community",
    "demo_counts",
    "demo_load",
]
