"""Three months of routine work behind the written stories: short everyday requests from
every company, opened on working days over the past 95 days, answered, sometimes waiting
on the customer, resolved and closed. They fill the reports (the dashboard's trends, each
company's monthly review); the same seed gives the same history every time."""

from __future__ import annotations

import random

from atiende.demo.data import (
    ANA,
    ANDRES,
    CARLA,
    DIANA,
    JORGE,
    JULIAN,
    LUIS,
    MARIANA,
    MATEO,
    ON_DEMAND,
    REDES,
    ROBERTO,
)
from atiende.demo.script import (
    ALTA,
    BAJA,
    EMAIL,
    GOOD,
    INCIDENTE,
    NEUTRAL,
    NORMAL,
    PENDING,
    PHONE,
    PREGUNTA,
    REQUERIMIENTO,
    RESOLVED,
    URGENTE,
    WEB,
    WHATSAPP,
    Close,
    Rate,
    Reply,
    Status,
    Story,
    Take,
)

SEED = 20260301
REQUESTERS = (ANA, LUIS, MATEO, CARLA, JULIAN, MARIANA, ROBERTO)
# (subject, text, queue, category, type)
REQUESTS = (
    (
        "No puedo abrir el correo en Outlook",
        "Outlook se queda cargando desde esta mañana.",
        "soporte",
        "Software/Correo",
        INCIDENTE,
    ),
    (
        "La impresora del piso imprime en blanco",
        "Sale la hoja pero sin nada impreso.",
        "soporte",
        "Hardware/Impresoras",
        INCIDENTE,
    ),
    (
        "Olvidé mi contraseña de Windows",
        "Me bloqueé después de tres intentos.",
        "soporte",
        "Accesos/Contraseñas",
        REQUERIMIENTO,
    ),
    (
        "Crear usuario para persona nueva",
        "Ingresa el lunes al área comercial.",
        "soporte",
        "Accesos/Cuentas de usuario",
        REQUERIMIENTO,
    ),
    (
        "¿Cómo comparto una carpeta de OneDrive?",
        "Necesito compartirla con un proveedor.",
        "soporte",
        "Software/Ofimática",
        PREGUNTA,
    ),
    (
        "El portátil está muy lento",
        "Tarda varios minutos en abrir cualquier programa.",
        "soporte",
        "Hardware/Computadores",
        INCIDENTE,
    ),
    (
        "Sin Wi-Fi en la sala de juntas",
        "Los equipos no ven la red de invitados.",
        REDES,
        "Red/Wi-Fi",
        INCIDENTE,
    ),
    (
        "La VPN se desconecta cada rato",
        "Desde la casa se cae cada diez minutos.",
        REDES,
        "Red/VPN",
        INCIDENTE,
    ),
    (
        "Internet muy lento en la sede",
        "Las páginas tardan en cargar desde el mediodía.",
        REDES,
        "Red/Internet",
        INCIDENTE,
    ),
    (
        "Habilitar una extensión telefónica",
        "Para la persona nueva de recepción.",
        REDES,
        "Telefonía/Extensiones",
        REQUERIMIENTO,
    ),
)
CHANNELS = (WEB, WEB, WEB, EMAIL, EMAIL, PHONE, WHATSAPP)
PRIORITIES = (URGENTE, ALTA, NORMAL, NORMAL, NORMAL, BAJA)


def _story(rng: random.Random, index: int) -> Story:
    subject, text, queue, category, kind = rng.choice(REQUESTS)
    requester = rng.choice(REQUESTERS)
    channel = rng.choice(CHANNELS)
    engineer = JORGE if queue == REDES else rng.choice((ANDRES, DIANA))
    answer = rng.choice((0.2, 0.5, 1, 2, 4, 8))
    steps: list[Take | Reply | Status | Rate | Close] = [
        Take(engineer, answer),
        Reply(engineer, 0.05, "Hola, ya lo estamos revisando."),
    ]
    if rng.random() < 0.3:
        steps += [
            Status(engineer, 0.02, PENDING),
            Reply(requester, rng.choice((1, 3, 20)), "Les confirmo lo que me pidieron."),
        ]
    steps.append(Status(engineer, rng.choice((1, 3, 6, 12, 30)), RESOLVED))
    rating = _rating(requester, index)
    if rating is not None:
        steps.append(rating)
    if rng.random() < 0.7:
        steps.append(Close(requester, rng.choice((2, 24))))
    return Story(
        f"routine-{index}",
        requester,
        (rng.randint(45, 95), f"{rng.randint(7, 17):02d}:{rng.randint(0, 59):02d}"),
        subject,
        text,
        steps=tuple(steps),
        queue=queue,
        channel=channel,
        registered_by=engineer if channel in (PHONE, WHATSAPP) else None,
        type=kind,
        category=category,
        priority=rng.choice(PRIORITIES),
        # Initech has no contract in force: its requests are on-demand support.
        service=ON_DEMAND if requester in (MARIANA, ROBERTO) else None,
    )


COMMENTS = {
    GOOD: ("Muy amables, gracias.", "Rápido y bien explicado.", ""),
    NEUTRAL: ("Se resolvió, pero tardó más de lo esperado.", ""),
}


def _rating(requester: str, index: int) -> Rate | None:
    """Most requesters rate; most are satisfied. A generator of its own, so the rest of
    the history stays the same whatever the ratings are."""
    rng = random.Random(f"{SEED}-rating-{index}")  # noqa: S311 (a fixed history)
    if rng.random() < 0.35:
        return None
    face = GOOD if rng.random() < 0.75 else NEUTRAL
    return Rate(requester, rng.choice((0.5, 2, 6)), face, rng.choice(COMMENTS[face]))


def routine_stories(count: int = 60) -> tuple[Story, ...]:
    rng = random.Random(SEED)  # noqa: S311 (a fixed history, not security)
    return tuple(_story(rng, index) for index in range(count))


ROUTINE_STORIES = routine_stories()
