"""The demo's cast and catalog: an IT service provider in Bogotá with three client companies,
its two queues and its engineers. Plain constants; `loader` turns them into rows and
`stories` tells what happened to their tickets."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from atiende.accounts.models import AgentRole

# Every demo account signs in with this published password; demo passwords exist only here.
PASSWORD = "atiende-demo"  # noqa: S105
SEED = 20240517  # the same demo every time
ADMIN_EMAIL = "admin@atiende.test"  # its presence means the demo is already loaded

# --- the provider -----------------------------------------------------------------------

SOPORTE = "soporte"
REDES = "redes"


@dataclass(frozen=True)
class QueueData:
    slug: str
    name: str
    email: str
    description: str


QUEUES = (
    QueueData(
        SOPORTE,
        "Soporte TI",
        "soporte@atiende.test",
        "Mesa de ayuda: computadores, impresoras, correo, ofimática, cuentas y contraseñas.",
    ),
    QueueData(
        REDES,
        "Redes y Telecomunicaciones",
        "redes@atiende.test",
        "Internet, Wi-Fi, cableado, VPN, telefonía IP y equipos de red de las sedes.",
    ),
)

ANDRES = "agente@atiende.test"
DIANA = "diana@atiende.test"
JORGE = "jorge@atiende.test"
PATRICIA = "supervisor@atiende.test"
RICARDO = ADMIN_EMAIL


@dataclass(frozen=True)
class AgentData:
    email: str
    full_name: str
    phone: str
    role: AgentRole
    queues: tuple[str, ...]
    described: str  # how the sign-in list presents the account


AGENTS = (
    AgentData(
        RICARDO,
        "Ricardo Salazar Méndez",
        "+57 601 745 3300 ext. 100",
        AgentRole.ADMIN,
        (),
        "Administrador: configuración y todas las colas",
    ),
    AgentData(
        PATRICIA,
        "Patricia Mejía Arango",
        "+57 601 745 3300 ext. 110",
        AgentRole.SUPERVISOR,
        (SOPORTE, REDES),
        "Supervisora: ve y asigna los tickets de todas las colas",
    ),
    AgentData(
        ANDRES,
        "Andrés Felipe Gómez",
        "+57 601 745 3300 ext. 121",
        AgentRole.AGENT,
        (SOPORTE,),
        "Agente de la cola Soporte TI",
    ),
    AgentData(
        DIANA,
        "Diana Marcela Rojas",
        "+57 601 745 3300 ext. 122",
        AgentRole.AGENT,
        (SOPORTE,),
        "Agente de la cola Soporte TI",
    ),
    AgentData(
        JORGE,
        "Jorge Iván Pardo",
        "+57 601 745 3300 ext. 131",
        AgentRole.AGENT,
        (REDES,),
        "Agente de la cola Redes y Telecomunicaciones",
    ),
)

# --- what the provider sells ------------------------------------------------------------

ON_DEMAND = "Soporte por demanda"  # created by the tickets migration in every install
ON_DEMAND_RATE = Decimal("120000")
MESA_DE_AYUDA = "Mesa de ayuda 8x5"
REDES_SERVICE = "Soporte de redes"
SERVIDORES = "Administración de servidores"


@dataclass(frozen=True)
class ServiceData:
    name: str
    description: str
    hourly_rate: Decimal  # hours beyond what the contract includes


SERVICES = (
    ServiceData(
        MESA_DE_AYUDA,
        "Atención de usuarios de lunes a viernes de 8:00 a 17:00: equipos, impresoras, correo, "
        "ofimática, cuentas y contraseñas. Incluye 40 horas al mes.",
        Decimal("95000"),
    ),
    ServiceData(
        REDES_SERVICE,
        "Monitoreo y soporte de la red de las sedes: Internet, Wi-Fi, switches, cableado, "
        "VPN y telefonía IP. Gestión de fallas con los proveedores de Internet.",
        Decimal("110000"),
    ),
    ServiceData(
        SERVIDORES,
        "Administración de servidores Windows y Linux, copias de seguridad, almacenamiento "
        "y actualizaciones mensuales.",
        Decimal("135000"),
    ),
)

# --- the client companies ---------------------------------------------------------------

ACME = "Acme S.A.S."
GLOBEX = "Globex Ltda."
INITECH = "Initech de México S.A. de C.V."

ACME_CHICO = "Sede Chicó"
ACME_BODEGA = "Bodega Montevideo"
ACME_UNICENTRO = "Punto de venta Unicentro"
GLOBEX_POBLADO = "Oficinas El Poblado"
GLOBEX_PLANTA = "Planta Itagüí"
INITECH_POLANCO = "Corporativo Polanco"


@dataclass(frozen=True)
class ContractData:
    service: str
    reference: str
    started_days_ago: int
    ends_in_days: int | None  # None: open-ended; negative: already expired


@dataclass(frozen=True)
class CompanyData:
    name: str
    tax_id: str
    domains: str
    address: str
    phone: str
    contacts_see_all_tickets: bool
    sites: tuple[tuple[str, str], ...]
    contracts: tuple[ContractData, ...]


COMPANIES = (
    CompanyData(
        ACME,
        "NIT 900.456.789-1",
        "acme.test",
        "Calle 93 # 11-26, oficina 502, Bogotá D.C.",
        "+57 601 621 4400",
        False,
        (
            (ACME_CHICO, "Calle 93 # 11-26, oficina 502, Bogotá D.C."),
            (ACME_BODEGA, "Avenida Calle 17 # 68D-45, bodega 7, Bogotá D.C."),
            (ACME_UNICENTRO, "Avenida 15 # 124-30, local 2-118, Bogotá D.C."),
        ),
        (
            ContractData(MESA_DE_AYUDA, "ACM-MDA-01", 400, 330),
            ContractData(REDES_SERVICE, "ACM-RED-02", 210, None),
        ),
    ),
    CompanyData(
        GLOBEX,
        "NIT 811.023.456-7",
        "globex.test",
        "Carrera 43A # 1-50, torre 2, piso 8, Medellín, Antioquia",
        "+57 604 444 2170",
        True,
        (
            (GLOBEX_POBLADO, "Carrera 43A # 1-50, torre 2, piso 8, Medellín, Antioquia"),
            (GLOBEX_PLANTA, "Calle 30 # 52-10, zona industrial, Itagüí, Antioquia"),
        ),
        (
            ContractData(MESA_DE_AYUDA, "GLX-MDA-07", 300, 65),
            ContractData(SERVIDORES, "GLX-SRV-08", 300, 65),
        ),
    ),
    CompanyData(
        INITECH,
        "RFC IME120315KQ8",
        "initech.test",
        "Av. Presidente Masaryk 111, piso 3, Polanco V Sección, Miguel Hidalgo, 11560 Ciudad de México",
        "+52 55 5280 1100",
        False,
        ((INITECH_POLANCO, "Av. Presidente Masaryk 111, piso 3, Polanco, Ciudad de México"),),
        # The help-desk contract ended two months ago and was not renewed: Initech's
        # tickets are on-demand support, billed by the hour.
        (ContractData(MESA_DE_AYUDA, "INI-MDA-03", 430, -60),),
    ),
)

# --- the people at the client companies -------------------------------------------------

ANA = "ana@acme.test"
LUIS = "luis@acme.test"
SOFIA = "sofia@acme.test"
MATEO = "mateo@acme.test"
CARLA = "carla@globex.test"
JULIAN = "julian@globex.test"
MARIANA = "mariana@initech.test"
ROBERTO = "roberto@initech.test"


@dataclass(frozen=True)
class ContactData:
    email: str
    full_name: str
    phone: str
    extension: str
    area: str
    companies: tuple[str, ...]  # the first one is the primary company
    sees_company_tickets: bool
    described: str


CONTACTS = (
    ContactData(
        ANA,
        "Ana María Restrepo",
        "+57 310 555 0142",
        "201",
        "Administración",
        (ACME,),
        True,
        "Contacto de Acme S.A.S.: ve todos los tickets de la compañía",
    ),
    ContactData(
        LUIS,
        "Luis Fernando Castaño",
        "+57 315 555 0187",
        "214",
        "Contabilidad",
        (ACME,),
        False,
        "Contacto de Acme S.A.S.: solo sus propios tickets",
    ),
    ContactData(
        SOFIA,
        "Sofía Herrera Uribe",
        "+57 300 555 0163",
        "230",
        "Consultoría financiera",
        (ACME, GLOBEX),
        False,
        "Contacto de Acme S.A.S. (principal) y de Globex Ltda.",
    ),
    ContactData(
        MATEO,
        "Mateo Quintero Salcedo",
        "+57 321 555 0119",
        "305",
        "Logística y despachos",
        (ACME,),
        False,
        "Contacto de Acme S.A.S. en la bodega",
    ),
    ContactData(
        CARLA,
        "Carla Jiménez Ochoa",
        "+57 312 555 0154",
        "118",
        "Gestión humana",
        (GLOBEX,),
        False,
        "Contacto de Globex Ltda. (la compañía comparte sus tickets con todos)",
    ),
    ContactData(
        JULIAN,
        "Julián Ospina Vélez",
        "+57 314 555 0176",
        "420",
        "Producción",
        (GLOBEX,),
        False,
        "Contacto de Globex Ltda. en la planta",
    ),
    ContactData(
        MARIANA,
        "Mariana López Treviño",
        "+52 55 5555 0134",
        "1203",
        "Compras",
        (INITECH,),
        False,
        "Contacto de Initech de México (soporte por demanda)",
    ),
    ContactData(
        ROBERTO,
        "Roberto Hernández Cruz",
        "+52 55 5555 0178",
        "1240",
        "Almacén",
        (INITECH,),
        False,
        "Contacto de Initech de México en el almacén",
    ),
)

# --- what tickets are about: (Spanish, English, children) -------------------------------

CATEGORIES: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Red",
        "Network",
        (("Wi-Fi", "Wi-Fi"), ("Internet", "Internet"), ("Cableado", "Cabling"), ("VPN", "VPN")),
    ),
    (
        "Hardware",
        "Hardware",
        (("Computadores", "Computers"), ("Impresoras", "Printers"), ("Periféricos", "Peripherals")),
    ),
    ("Software", "Software", (("Correo", "Email"), ("Ofimática", "Office apps"), ("ERP", "ERP"))),
    (
        "Accesos",
        "Access",
        (("Contraseñas", "Passwords"), ("Cuentas de usuario", "User accounts"), ("Permisos", "Permissions")),
    ),
    ("Servidores", "Servers", (("Copias de seguridad", "Backups"), ("Almacenamiento", "Storage"))),
    ("Telefonía", "Telephony", (("Extensiones", "Extensions"),)),
)


# Prepared answers for the composer; placeholders are filled per ticket.
CANNED_REPLIES = (
    (
        "Recibido, lo revisamos",
        "Hola {requester_first_name}, recibimos su solicitud {ticket_number} y ya la estamos revisando. "
        "Le escribiremos en cuanto tengamos novedades.\n\n{agent_name}",
    ),
    (
        "Pedir más información",
        "Hola {requester_first_name}, para avanzar con {ticket_number} necesitamos: la fecha y hora en que "
        "ocurrió, el equipo afectado y una captura de pantalla del mensaje de error. Puede responder este "
        "correo o escribir en el portal: {portal_link}\n\n{agent_name}",
    ),
    (
        "Solucionado, confirmar",
        "Hola {requester_first_name}, aplicamos la solución en {ticket_number}. ¿Nos confirma que todo "
        "funciona bien? Si el problema continúa, responda este mensaje y lo retomamos.\n\n{agent_name}",
    ),
)

# --- a caller known by phone and WhatsApp only ------------------------------------------
#
# Registered by an engineer from the desk's phone intake: no email, so no account to sign
# in with and no invitation; the news of his tickets go by WhatsApp. Stories name him by
# this key (he has no address).
EFRAIN = "efrain-sin-correo"


@dataclass(frozen=True)
class CallerData:
    key: str
    full_name: str
    whatsapp: str
    area: str
    company: str
    registered_by: str


CALLERS = (
    CallerData(EFRAIN, "Efraín Gutiérrez Mesa", "+57 318 555 0191", "Portería de la planta", GLOBEX, DIANA),
)
