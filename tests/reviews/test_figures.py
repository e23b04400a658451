"""Every figure of Acme's November 2025 review against the story worked out by hand
(tests/reports/test_dashboard_figures.py): business hours Monday–Friday 8–12 and 13–17 in
Bogotá, a pause waiting on the customer and the Colombian holiday of 17 November."""

from decimal import Decimal

from atiende.reviews.figures import build
from tests.reviews.conftest import NOVEMBER


def test_requests_by_type_category_site_and_channel(november, world):
    review = build(world.acme, NOVEMBER)
    assert review.figures.opened == 4 and review.figures.resolved == 2  # A closed, B resolved
    assert [(line.label, line.count, line.percent) for line in review.by_channel] == [
        ("Portal web", 3, 75.0),
        ("Teléfono", 1, 25.0),
    ]
    assert sum(line.count for line in review.by_type) == 4
    assert [(line.count, line.percent) for line in review.by_category] == [(4, 100.0)]
    assert [(line.count, line.percent) for line in review.by_site] == [(4, 100.0)]


def test_service_levels_and_medians_in_business_hours(november, world):
    figures = build(world.acme, NOVEMBER).figures
    # First responses: A 120 min (late, target 60), B 30, D 45.
    assert (figures.first_response_count, figures.first_response_on_time) == (3, 2)
    assert figures.first_response_compliance == 66.7
    assert figures.first_response_median == 45 and figures.first_response_median_hours == Decimal("0.8")
    # Resolutions: A 180 (closing meets it), B 30 + 90 = 120; both within 480.
    assert (figures.resolution_count, figures.resolution_on_time, figures.resolution_compliance) == (
        2,
        2,
        100.0,
    )
    assert figures.resolution_median == 150 and figures.resolution_median_hours == Decimal("2.5")


def test_the_breaches_name_the_ticket_the_target_and_by_how_much(november, world):
    a, _b, _c, _d = november
    [breach] = build(world.acme, NOVEMBER).breaches
    assert (breach.number, breach.subject, breach.target) == (a.number, "A", "Primera respuesta")
    assert (breach.allowed_minutes, breach.taken_minutes, breach.over_minutes) == (60, 120, 60)
    assert breach.over_hours == Decimal("1.0")


def test_satisfaction_counts_faces_and_comments(november, world):
    review = build(world.acme, NOVEMBER)
    figures = review.figures
    assert (figures.rating_good, figures.rating_neutral, figures.rating_bad) == (0, 0, 1)
    assert figures.satisfaction == 0.0
    assert [rating.comment for rating in review.comments] == ["Tardaron = demasiado"]


def test_open_items_carried_over_are_those_unresolved_at_the_months_end(november, world):
    _a, _b, c, d = november
    review = build(world.acme, NOVEMBER)
    assert review.carried_count == 2 and review.figures.backlog_at_end == 2
    assert [item.number for item in review.carried] == [c.number, d.number]


def test_the_comparison_with_an_empty_previous_month(november, world):
    comparisons = build(world.acme, NOVEMBER).comparisons
    opened = comparisons[0]
    assert (opened.current, opened.previous, opened.delta, opened.direction) == (4, 0, 4.0, "up")
    assert opened.is_better is False  # more requests is not better
    on_time = comparisons[2]
    assert on_time.previous is None and on_time.delta is None


def test_another_companys_month_shares_nothing(november, world):
    review = build(world.globex, NOVEMBER)
    assert review.figures.opened == 0 and review.breaches == [] and review.carried_count == 0
    assert review.comments == []


def test_the_review_reads_a_constant_number_of_queries(november, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(30):
        build(world.acme, NOVEMBER)
