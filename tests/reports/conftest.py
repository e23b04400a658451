"""Report fixtures: the SLA world (Bogotá calendar with Colombian holidays, a policy of 1
business hour to first response and 8 to resolution) and a signed-in client helper."""

from tests.reports.test_dashboard_figures import story  # noqa: F401 - the hand-computed story
from tests.sla.conftest import clock, colombia, policy  # noqa: F401 - fixtures shared with sla tests
