from ..disclosures.conftest import board, draft  # noqa: F401 - fixtures shared with disclosures
