"""The engineers' workload: per engineer, the open tickets, those at risk or breached,
those waiting on the customer, and the time recorded this week. Reads start from what the
viewer may see (`access.tickets_visible_to`), so a plain agent sees their part only."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils import timezone

from atiende.accounts.models import Agent, User
from atiende.sla.queries import WORKING_KINDS, tickets_at_risk_for_agent
from atiende.tickets.access import tickets_visible_to
from atiende.tickets.models import StatusKind, TimeEntry


@dataclass
class Load:
    agent: Agent | None
    open: int = 0
    at_risk: int = 0
    waiting: int = 0
    minutes_this_week: int = 0

    @property
    def name(self) -> str:
        return self.agent.user.get_full_name() or self.agent.user.email if self.agent else ""


def workload(user: User, *, now: datetime.datetime | None = None) -> list[Load]:
    """One line per active engineer (the unassigned tickets last), busiest first."""
    now = now or timezone.now()
    visible = tickets_visible_to(user).filter(status__kind__in=WORKING_KINDS)
    counts = visible.values("assignee_id").annotate(
        open=Count("id"), waiting=Count("id", filter=Q(status__kind=StatusKind.PENDING))
    )
    risky = (
        tickets_at_risk_for_agent(user, now)
        .order_by()
        .values("assignee_id")
        .annotate(n=Count("id", distinct=True))
    )
    monday = timezone.localdate(now) - datetime.timedelta(days=timezone.localdate(now).weekday())
    minutes = (
        TimeEntry.objects.filter(work_date__gte=monday, ticket__in=tickets_visible_to(user))
        .values("agent_id")
        .annotate(total=Sum("minutes"))
    )
    agents = {agent.id: agent for agent in Agent.objects.engineers().select_related("user")}
    by_agent: dict[int | None, Load] = {agent_id: Load(agent) for agent_id, agent in agents.items()}
    unassigned = Load(None)
    for row in counts:
        load = by_agent.get(row["assignee_id"], unassigned)
        load.open += row["open"]  # the unassigned line also gathers retired engineers' tickets
        load.waiting += row["waiting"]
    for row in risky:
        by_agent.get(row["assignee_id"], unassigned).at_risk += row["n"]
    by_user = {agent.user_id: agent.id for agent in agents.values()}
    for row in minutes:
        agent_id = by_user.get(row["agent_id"])
        if agent_id is not None:
            by_agent[agent_id].minutes_this_week = row["total"] or 0
    busy = [load for load in by_agent.values() if load.open or load.minutes_this_week]
    busy.sort(key=lambda load: (-load.open, load.name.lower()))
    return [*busy, unassigned] if unassigned.open else busy
