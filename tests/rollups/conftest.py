"""An SLA (Bogotá calendar, 1 business hour to first response and 8 to resolution), so the
rollups' durations are counted."""

from tests.sla.conftest import colombia, policy  # noqa: F401 - fixtures shared with sla tests
