"""Globex Ltda., Medellín: the cases of the past weeks, all closed. Help-desk and server
contracts in force; network work is on-demand. Every Globex contact sees the company's
tickets."""

from __future__ import annotations

from atiende.demo.data import (
    ANDRES,
    CARLA,
    DIANA,
    GLOBEX,
    GLOBEX_PLANTA,
    GLOBEX_POBLADO,
    JORGE,
    JULIAN,
    MESA_DE_AYUDA,
    ON_DEMAND,
    REDES,
    SERVIDORES,
    SOFIA,
)
from atiende.demo.script import (
    ALTA,
    EMAIL,
    OPEN,
    REQUERIMIENTO,
    RESOLVED,
    URGENTE,
    WHATSAPP,
    Change,
    Close,
    Note,
    Reply,
    Status,
    Story,
    Take,
)

GLOBEX_PAST_STORIES = (
    Story(
        "globex-retiros",
        CARLA,
        (40, "09:03"),
        "Desactivar las cuentas de dos empleados retirados",
        "Buenos días. El viernes se retiraron de la compañía Juan Pablo Restrepo (Comercial) y "
        "Estefanía Gil (Compras). Por favor desactivar sus usuarios de Windows y de correo a "
        "partir de hoy y redirigir sus correos a los jefes: los de Juan Pablo a "
        "comercial@globex.test y los de Estefanía a compras@globex.test. Los portátiles ya "
        "fueron devueltos a Gestión Humana.",
        type=REQUERIMIENTO,
        category="Accesos/Cuentas de usuario",
        site=GLOBEX_POBLADO,
        service=MESA_DE_AYUDA,
        steps=(
            Take(ANDRES, 0.5),
            Status(ANDRES, 0.05, OPEN),
            Change(ANDRES, 0.05, tags=("retiro de personal",)),
            Note(
                ANDRES,
                1,
                "Cuentas deshabilitadas en el directorio activo, buzones convertidos en "
                "compartidos con acceso para los jefes y 2 licencias liberadas.",
            ),
            Reply(
                ANDRES,
                0.1,
                "Carla, ya quedaron desactivadas las dos cuentas y los correos de ambos llegan "
                "a los buzones de sus jefes. Liberamos las dos licencias de Microsoft 365 para "
                "los próximos ingresos.",
            ),
            Status(ANDRES, 0.1, RESOLVED),
            Close(CARLA, 5),
        ),
    ),
    Story(
        "globex-linea-2-sin-imagen",
        JULIAN,
        (36, "06:54"),
        "El computador de la línea 2 no da imagen",
        "WhatsApp de Julián Ospina (producción, 6:50 a. m.): el computador de la línea 2 de la "
        "planta, donde se registran las órdenes de producción, enciende (suena el ventilador y "
        "la luz está prendida) pero el monitor dice «Sin señal». Ya cambiaron el cable del "
        "monitor por el de otro puesto. El turno empezó a las 6:00 y están anotando en papel.",
        channel=WHATSAPP,
        registered_by=DIANA,
        category="Hardware/Computadores",
        site=GLOBEX_PLANTA,
        priority=ALTA,
        service=MESA_DE_AYUDA,
        steps=(
            Take(DIANA, 0.1),
            Status(DIANA, 0.05, OPEN),
            Reply(
                DIANA,
                0.2,
                "Julián, probemos esto: apague el computador, desconecte el cable de poder 30 "
                "segundos y conecte el monitor en el otro puerto de video (el de la placa, "
                "abajo, no el de la tarjeta). Luego encienda y me cuenta.",
            ),
            Reply(JULIAN, 0.4, "Con el puerto de abajo ya da imagen."),
            Note(
                DIANA,
                0.2,
                "Falla la tarjeta de video dedicada; el equipo funciona con el video integrado, "
                "suficiente para la línea. Cambio de tarjeta en el próximo mantenimiento "
                "preventivo.",
            ),
            Status(DIANA, 0.05, RESOLVED),
            Close(DIANA, 50),
        ),
    ),
    Story(
        "globex-archivo-nomina",
        CARLA,
        (32, "08:07"),
        "2_RECUPERAR ARCHIVO BORRADO DE NÓMINA",
        "Buenos días. Ayer a las 6:10 p. m. borré por error el archivo «Liquidación prima "
        "semestral.xlsx» de la carpeta compartida \\\\GLX-FS01\\Nomina\\Primas. No está en la "
        "papelera. Lo necesitamos hoy para pagar las primas; la última versión buena la guardé "
        "ayer como a las 5:45 p. m.\n\nCarla Jiménez, Gestión Humana, ext. 118",
        channel=EMAIL,
        category="Servidores/Copias de seguridad",
        site=GLOBEX_POBLADO,
        priority=ALTA,
        service=SERVIDORES,
        steps=(
            Take(ANDRES, 0.3),
            Status(ANDRES, 0.05, OPEN),
            Change(ANDRES, 0.05, tags=("restauración",)),
            Note(
                ANDRES,
                0.5,
                "Restaurado desde la copia diaria de las 23:00, que incluye la versión de las "
                "17:46. Se deja en la subcarpeta «Restaurado» para no sobrescribir nada.",
                files=("restauracion-nomina.log",),
            ),
            Reply(
                ANDRES,
                0.1,
                "Carla, recuperamos el archivo de la copia de seguridad de anoche, con la "
                "versión guardada a las 5:46 p. m. Quedó en \\\\GLX-FS01\\Nomina\\Primas\\"
                "Restaurado. Por favor revíselo y me confirma que es el correcto.",
            ),
            Reply(CARLA, 0.5, "Es el correcto. ¡Qué alivio, gracias!"),
            Status(ANDRES, 0.1, RESOLVED),
            Close(CARLA, 3),
        ),
    ),
    Story(
        "globex-planta-sin-internet",
        JULIAN,
        (25, "06:31"),
        "1_PLANTA ITAGÜÍ SIN INTERNET NI TELÉFONOS",
        "Desde las 6:20 a. m. la Planta Itagüí no tiene Internet y los teléfonos IP dicen «Sin "
        "servicio». Tampoco abre el ERP, que está en la nube. Anoche hubo tormenta eléctrica y "
        "se fue la luz en la zona un rato. En el cuarto de comunicaciones el equipo del "
        "proveedor tiene todas las luces apagadas.\n\nJulián Ospina, jefe de producción, "
        "cel. 314 555 0176",
        queue=REDES,
        channel=EMAIL,
        category="Red/Internet",
        site=GLOBEX_PLANTA,
        priority=URGENTE,
        service=ON_DEMAND,
        steps=(
            Take(JORGE, 0.1),
            Status(JORGE, 0.05, OPEN),
            Change(JORGE, 0.05, tags=("caída de internet", "planta")),
            Reply(
                JORGE,
                0.1,
                "Julián, por lo que describe, el equipo del proveedor quedó sin energía. ¿Puede "
                "revisar si el breaker del cuarto de comunicaciones está abajo y si la UPS "
                "muestra alguna alarma? Voy en camino a la planta, llego en unos 40 minutos.",
            ),
            Reply(JULIAN, 0.2, "La UPS está pitando y dice «Battery fault». El breaker está arriba."),
            Note(
                JORGE,
                1,
                "En sitio: UPS del cuarto de comunicaciones dañada por la tormenta (falla de "
                "batería, sin salida en bypass). Módem, switch y central telefónica conectados "
                "directo a la toma regulada. Servicio restablecido a las 8:05 a. m. Se envía a "
                "Globex la cotización de una UPS nueva. 2 h de visita por demanda.",
            ),
            Reply(
                JORGE,
                0.1,
                "Julián, ya hay Internet y teléfonos. La UPS quedó dañada por la tormenta; "
                "conectamos los equipos directo a la toma regulada mientras Globex aprueba la "
                "UPS nueva (le enviamos la cotización a Carla).",
            ),
            Status(JORGE, 0.1, RESOLVED),
            Close(JORGE, 30),
        ),
    ),
    Story(
        "globex-reporte-costos",
        SOFIA,
        (15, "08:36"),
        "Error al generar el reporte de costos en el ERP",
        "Buenos días. Al generar el reporte «Costos por centro de costo» del mes anterior en el "
        "ERP de Globex, después de unos 5 minutos sale «Tiempo de espera de la consulta "
        "agotado» y no se genera nada. Lo intenté desde la oficina de El Poblado ayer a las "
        "4:00 p. m. y hoy a las 8:30 a. m. Con un solo centro de costo sí funciona.\n\nSofía "
        "Herrera, consultora",
        company=GLOBEX,
        channel=EMAIL,
        category="Software/ERP",
        site=GLOBEX_POBLADO,
        service=MESA_DE_AYUDA,
        steps=(
            Take(ANDRES, 1),
            Status(ANDRES, 0.05, OPEN),
            Change(ANDRES, 0.05, tags=("erp",)),
            Note(
                ANDRES,
                2,
                "El proveedor del ERP confirma que el tiempo de espera de las consultas es de "
                "300 s; lo sube a 900 s y programa la reindexación nocturna de la tabla de "
                "movimientos.",
            ),
            Reply(
                ANDRES,
                18,
                "Sofía, el proveedor del ERP amplió el tiempo de espera y reindexó la base "
                "anoche. Por favor intente generar el reporte completo de nuevo.",
            ),
            Reply(SOFIA, 2, "Se generó en menos de dos minutos. Gracias."),
            Status(ANDRES, 0.1, RESOLVED),
            Close(SOFIA, 3),
        ),
    ),
)
