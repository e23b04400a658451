"""What happened to the demo tickets, company by company."""

from __future__ import annotations

from atiende.demo.script import Story
from atiende.demo.stories.acme import ACME_STORIES
from atiende.demo.stories.acme_past import ACME_PAST_STORIES
from atiende.demo.stories.globex import GLOBEX_STORIES
from atiende.demo.stories.globex_past import GLOBEX_PAST_STORIES
from atiende.demo.stories.initech import INITECH_STORIES
from atiende.demo.stories.routine import ROUTINE_STORIES

STORIES: tuple[Story, ...] = (
    ACME_PAST_STORIES
    + ACME_STORIES
    + GLOBEX_PAST_STORIES
    + GLOBEX_STORIES
    + INITECH_STORIES
    + ROUTINE_STORIES
)
