"""The demo's knowledge base: a few articles in Spanish (some in English too), public,
for one company and internal, with one draft, so every reading rule shows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from atiende.accounts.models import Agent, Organization
from atiende.demo import data
from atiende.knowledge.actions import ArticleDraft, Text, save_article
from atiende.knowledge.models import ArticleState, Category, Visibility


@dataclass(frozen=True)
class ArticleData:
    category: str
    owner: str
    visibility: str
    spanish: tuple[str, str]
    english: tuple[str, str] | None = None
    companies: tuple[str, ...] = ()
    state: str = ArticleState.PUBLISHED
    reviewed_days_ago: int | None = 30


CATEGORIES = (
    ("Impresoras", "Printers"),
    ("Correo", "Email"),
    ("Red y VPN", "Network and VPN"),
    ("Cuentas", "Accounts"),
)

ARTICLES = (
    ArticleData(
        "Impresoras",
        data.ANDRES,
        Visibility.PUBLIC,
        (
            "La impresora no imprime: la cola está detenida",
            "Si sus documentos quedan *en cola* y la impresora no responde:\n\n"
            "1. Apague la impresora 10 segundos y enciéndala.\n"
            "2. En Windows, abra **Configuración › Impresoras y escáneres**, elija la impresora y pulse "
            "**Abrir cola**.\n"
            "3. Cancele los documentos atascados y envíe de nuevo.\n\n"
            "Si el panel muestra un error de papel o de tóner, anote el código y abra un ticket.",
        ),
        (
            "The printer does not print: the queue is stuck",
            "If your documents stay *queued* and the printer does not answer:\n\n"
            "1. Turn the printer off for 10 seconds and on again.\n"
            "2. In Windows, open **Settings › Printers & scanners**, choose the printer and press "
            "**Open queue**.\n"
            "3. Cancel the stuck documents and print again.",
        ),
    ),
    ArticleData(
        "Correo",
        data.DIANA,
        Visibility.PUBLIC,
        (
            "Outlook no abre o se queda cargando el perfil",
            "Cierre Outlook por completo. Abra **Panel de control › Correo › Mostrar perfiles**, "
            "cree un perfil nuevo con su dirección y márquelo como predeterminado. Su correo está en "
            "el servidor: no se pierde nada.",
        ),
        (
            "Outlook does not open or keeps loading the profile",
            "Close Outlook completely. Open **Control Panel › Mail › Show profiles**, create a new "
            "profile with your address and make it the default. Your mail stays on the server.",
        ),
    ),
    ArticleData(
        "Correo",
        data.DIANA,
        Visibility.PUBLIC,
        (
            "Configurar el correo en el celular",
            "En Android o iPhone instale **Outlook** desde la tienda, escriba su dirección y su "
            "contraseña, y acepte los permisos de seguridad de su empresa.",
        ),
    ),
    ArticleData(
        "Red y VPN",
        data.JORGE,
        Visibility.COMPANIES,
        (
            "Conectarse a la VPN de Acme desde casa",
            "Abra **FortiClient**, elija la conexión *Acme-Remoto* y entre con su usuario de red. "
            "Si pide un código, use el de su aplicación de autenticación.",
        ),
        companies=(data.ACME,),
    ),
    ArticleData(
        "Red y VPN",
        data.JORGE,
        Visibility.PUBLIC,
        (
            "Sin internet: qué revisar antes de llamar",
            "- ¿El cable de red está conectado y la luz del puerto encendida?\n"
            "- ¿Otros compañeros tienen internet?\n"
            "- Reinicie el equipo.\n\nSi nadie en la sede tiene internet, abra un ticket urgente.",
        ),
    ),
    ArticleData(
        "Cuentas",
        data.ANDRES,
        Visibility.PUBLIC,
        (
            "Contraseña bloqueada o vencida",
            "Después de cinco intentos fallidos la cuenta se bloquea 15 minutos. Si la contraseña "
            "venció, cámbiela con **Ctrl+Alt+Supr › Cambiar contraseña** conectado a la red de la oficina.",
        ),
        (
            "Locked or expired password",
            "After five failed attempts the account is locked for 15 minutes. If your password "
            "expired, change it with **Ctrl+Alt+Del › Change password** on the office network.",
        ),
    ),
    ArticleData(
        "Red y VPN",
        data.JORGE,
        Visibility.INTERNAL,
        (
            "Reiniciar el túnel IPsec de Globex",
            "Desde el firewall: `diagnose vpn tunnel flush globex-sede`. Avisar al cliente antes: "
            "corta las llamadas en curso.",
        ),
    ),
    ArticleData(
        "Impresoras",
        data.ANDRES,
        Visibility.PUBLIC,
        ("Escanear a una carpeta compartida", "Borrador: faltan las capturas."),
        state=ArticleState.DRAFT,
        reviewed_days_ago=None,
    ),
)


def create_articles(agents: dict[str, Agent], companies: dict[str, Organization]) -> int:
    categories = {
        name_es: Category.objects.create(name_es=name_es, name_en=name_en, position=position)
        for position, (name_es, name_en) in enumerate(CATEGORIES)
    }
    today = timezone.localdate()
    for item in ARTICLES:
        texts = {"es": Text(*item.spanish)}
        if item.english:
            texts["en"] = Text(*item.english)
        owner = agents[item.owner]
        draft = ArticleDraft(
            category=categories[item.category],
            visibility=item.visibility,
            state=item.state,
            texts=texts,
            companies=[companies[name] for name in item.companies],
            owner=owner,
            last_reviewed=today - datetime.timedelta(days=item.reviewed_days_ago)
            if item.reviewed_days_ago is not None
            else None,
        )
        save_article(owner.user, None, draft)
    return len(ARTICLES)
