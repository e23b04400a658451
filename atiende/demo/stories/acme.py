"""Acme S.A.S., Bogotá: the cases still on the desk (new, in progress, waiting on the
customer, resolved), including a follow-up of a closed case."""

from __future__ import annotations

from atiende.demo.data import (
    ACME_BODEGA,
    ACME_CHICO,
    ACME_UNICENTRO,
    ANA,
    ANDRES,
    DIANA,
    JORGE,
    LUIS,
    MATEO,
    MESA_DE_AYUDA,
    PATRICIA,
    REDES,
    REDES_SERVICE,
    SOFIA,
)
from atiende.demo.script import (
    ALTA,
    BAJA,
    EMAIL,
    GOOD,
    HELD,
    NEUTRAL,
    OPEN,
    PENDING,
    PHONE,
    PROBLEMA,
    REQUERIMIENTO,
    RESOLVED,
    URGENTE,
    WHATSAPP,
    Assign,
    Change,
    Note,
    Rate,
    Reply,
    Status,
    Story,
    Take,
)

ACME_STORIES = (
    Story(
        "acme-wifi-sala-juntas",
        ANA,
        (9, "11:02"),
        "Wi-Fi intermitente en la sala de juntas del piso 3",
        "Desde el lunes, en la sala de juntas del piso 3 (Sede Chicó), los portátiles se "
        "desconectan de la red ACME-CORP cada 10 o 15 minutos, sobre todo en las reuniones de "
        "la mañana con más de 10 personas. El celular muestra una o dos rayitas de señal. Pasa "
        "con equipos Windows y Mac. En la recepción del mismo piso funciona bien.",
        queue=REDES,
        category="Red/Wi-Fi",
        site=ACME_CHICO,
        service=REDES_SERVICE,
        steps=(
            Assign(PATRICIA, 1, JORGE),
            Status(JORGE, 0.5, OPEN),
            Change(JORGE, 0.05, tags=("wifi",)),
            Reply(
                JORGE,
                0.2,
                "Ana, ¿nos puede enviar una captura de la ventana de red de uno de los "
                "portátiles cuando se desconecte, y decirnos a qué hora pasó? Así lo cruzamos "
                "con el registro del controlador inalámbrico.",
            ),
            Reply(
                ANA,
                22,
                "Adjunto la captura. Fue a las 9:15 a. m., durante el comité.",
                files=("captura-wifi-sala-juntas.png",),
            ),
            Note(
                JORGE,
                1,
                "En el registro del controlador: utilización del 87 al 91 % en el canal 6 de "
                "2.4 GHz, y el AP de recepción en el mismo canal. La banda de 5 GHz está casi "
                "vacía. Plan: AP de la sala al canal 11 y banda preferida 5 GHz para ACME-CORP.",
                files=("controlador-wifi-piso3.log",),
            ),
            Reply(
                JORGE,
                4,
                "Ana, encontramos interferencia: el punto de acceso de la sala compartía canal "
                "con el de recepción y casi todos los equipos se conectaban en 2.4 GHz. "
                "Cambiamos el canal y dejamos preferida la banda de 5 GHz. ¿Nos confirma "
                "mañana cómo les va en el comité?",
            ),
            Reply(ANA, 20, "Hoy tuvimos la reunión de las 9:00 con 12 personas y nadie se desconectó."),
            Status(JORGE, 1, RESOLVED),
            Rate(ANA, 3, GOOD),
        ),
    ),
    Story(
        "acme-reinicios-despachos",
        MATEO,
        (5, "14:36"),
        "El computador de despachos se reinicia solo",
        "Mensaje de WhatsApp de Mateo Quintero (bodega, 2:30 p. m.): el computador de "
        "despachos ACM-PC-0207 se reinicia solo varias veces al día, a veces mientras imprime "
        "las guías; antes del reinicio se oye un pito. Ayer pasó cuatro veces y se perdió una "
        "guía a medio hacer. Ningún otro equipo de la bodega tiene el problema.",
        channel=WHATSAPP,
        registered_by=DIANA,
        category="Hardware/Computadores",
        site=ACME_BODEGA,
        priority=ALTA,
        service=MESA_DE_AYUDA,
        steps=(
            Take(DIANA, 0.1),
            Status(DIANA, 0.05, OPEN),
            Reply(
                DIANA,
                0.5,
                "Mateo, para descartar la fuente de poder: ¿nos envía una foto de la etiqueta "
                "con el serial (atrás del equipo) y nos confirma si está conectado a la UPS o "
                "directo a la pared? Con eso programamos la visita.",
            ),
            Status(DIANA, 0.05, PENDING),
        ),
    ),
    Story(
        "acme-diadema-unicentro",
        ANA,
        (3, "09:40"),
        "Diadema para nuevo asesor del punto de venta Unicentro",
        "El próximo lunes empieza un asesor nuevo en el punto de venta de Unicentro y necesita "
        "una diadema USB para atender las llamadas por Teams, igual a las que tienen los demás "
        "asesores. También necesitamos que le configuren la extensión 250.",
        type=REQUERIMIENTO,
        category="Hardware/Periféricos",
        site=ACME_UNICENTRO,
        priority=BAJA,
        service=MESA_DE_AYUDA,
        steps=(
            Take(ANDRES, 1),
            Status(ANDRES, 0.05, OPEN),
            Change(ANDRES, 0.05, tags=("compras", "ingreso de personal")),
            Note(
                ANDRES,
                0.3,
                "No hay diademas en el inventario de repuestos de Acme. Se pide cotización al "
                "distribuidor (Jabra Evolve2 30 USB, igual a las demás). La extensión 250 la "
                "configura Redes cuando llegue la diadema.",
            ),
            Reply(
                ANDRES,
                0.2,
                "Ana, no hay diademas disponibles en el inventario; ya pedimos la cotización y "
                "se la enviamos para aprobación. La extensión 250 queda lista el mismo día que "
                "entreguemos la diadema.",
            ),
        ),
    ),
    Story(
        "acme-firma-correo",
        LUIS,
        (0, "07:45"),
        "3_ACTUALIZAR FIRMA DE CORREO CONTABILIDAD",
        "Buenos días. Por cambio de cargo necesito actualizar mi firma de correo:\n\nLuis "
        "Fernando Castaño\nJefe de Contabilidad\nAcme S.A.S.\nPBX +57 601 621 4400 ext. 214\n\n"
        "Si es posible, que quede con el logo nuevo que envió Mercadeo. Gracias.",
        channel=EMAIL,
        type=REQUERIMIENTO,
        category="Software/Correo",
        priority=BAJA,
        service=MESA_DE_AYUDA,
        steps=(
            # Mail "from Luis" that proved nothing (no reply token, no mail-server pass):
            # held for an engineer, never shown to Acme or emailed on.
            Reply(
                LUIS,
                1.5,
                "Olvidé decirles: mientras tanto reenvíen todo el correo de Contabilidad a mi "
                "cuenta personal luis.castano.contab@gmail.test y mándenme ahí la contraseña "
                "nueva. Es urgente, estoy fuera de la oficina.",
                sender=HELD,
            ),
        ),
    ),
    Story(
        "acme-vpn-casa",
        SOFIA,
        (1, "07:20"),
        "No conecta la VPN desde casa",
        "Anoche a las 8:30 p. m. y hoy desde las 7:00 a. m. intento conectarme a la VPN desde "
        "mi casa con el portátil ACM-PT-0198 y sale «No se pudo establecer la conexión VPN: "
        "tiempo de espera agotado». Mi usuario y contraseña funcionan en el correo e Internet "
        "en la casa funciona bien. Necesito entrar al ERP para el cierre de mes.",
        queue=REDES,
        category="Red/VPN",
        priority=ALTA,
        service=REDES_SERVICE,
    ),
    Story(
        "acme-punto-red-bodega",
        MATEO,
        (4, "10:21"),
        "Punto de red dañado en el puesto de facturación de la bodega",
        "Llamada de Mateo Quintero a las 10:15 a. m.: en el puesto de facturación de la Bodega "
        "Montevideo el computador muestra «Cable de red desconectado». El viernes movieron un "
        "estante y el cable quedó aplastado; el conector de la pared está partido. Mientras "
        "tanto facturan desde el computador de despachos.",
        queue=REDES,
        channel=PHONE,
        registered_by=JORGE,
        category="Red/Cableado",
        site=ACME_BODEGA,
        service=REDES_SERVICE,
        steps=(
            Take(JORGE, 0.1),
            Status(JORGE, 0.05, OPEN),
            Change(JORGE, 0.05, tags=("visita en sitio",)),
            Note(
                JORGE,
                0.5,
                "Hay que cambiar el jack y el patch cord, y revisar con el certificador si el "
                "cable horizontal también quedó dañado. Visita programada con el técnico de "
                "cableado.",
            ),
            Reply(
                JORGE,
                0.1,
                "Mateo, programamos la visita para pasado mañana a las 8:00 a. m. Por favor, "
                "que haya alguien que nos abra el área de facturación.",
            ),
        ),
    ),
    Story(
        "acme-facturas-spam",
        ANA,
        (7, "08:55"),
        "Los correos de facturación llegan a spam de los clientes",
        "Desde la semana pasada varios clientes nos dicen que las facturas que enviamos desde "
        "facturacion@acme.test les llegan a la carpeta de correo no deseado, sobre todo a los "
        "que usan Gmail. Ayer a las 11:00 a. m. enviamos 40 facturas y al menos 6 clientes "
        "llamaron a decir que no las encontraban. No hemos cambiado nada en el correo.",
        type=PROBLEMA,
        category="Software/Correo",
        priority=ALTA,
        service=MESA_DE_AYUDA,
        steps=(
            Assign(PATRICIA, 2, DIANA),
            Status(DIANA, 0.5, OPEN),
            Change(DIANA, 0.05, tags=("correo", "dns")),
            Note(
                DIANA,
                1.5,
                "Cabeceras de un correo que llegó a spam: SPF «softfail», porque la plataforma "
                "de facturación electrónica envía desde sus propios servidores y no está en el "
                "registro SPF de acme.test; además no firma con DKIM. Hay que agregar el "
                "include del proveedor al SPF y publicar la llave DKIM. El DNS de acme.test lo "
                "administra Acme con su registrador.",
            ),
            Reply(
                DIANA,
                0.2,
                "Ana, encontramos la causa: la plataforma de facturación envía en nombre de "
                "acme.test, pero el dominio no la autoriza y Gmail marca esos correos como "
                "sospechosos. Se corrige con dos registros en el DNS del dominio. ¿Nos pueden "
                "dar acceso al panel del registrador del dominio, o el contacto de quien lo "
                "administra?",
            ),
            Status(DIANA, 0.05, PENDING),
        ),
    ),
    Story(
        "acme-multifuncional",
        LUIS,
        (4, "13:50"),
        "La multifuncional del piso 5 atasca el papel",
        "Desde ayer la multifuncional Ricoh del piso 5 (junto a Contabilidad) atasca las hojas "
        "de la bandeja 2 cada 3 o 4 impresiones. En la pantalla sale «Atasco de papel: A1». "
        "Usamos papel carta de la misma resma de siempre. Con la bandeja 1 imprime bien.",
        category="Hardware/Impresoras",
        site=ACME_CHICO,
        service=MESA_DE_AYUDA,
        steps=(
            Take(ANDRES, 1.5),
            Status(ANDRES, 0.05, OPEN),
            Note(
                ANDRES,
                19,
                "Visita: rodillo de arrastre de la bandeja 2 gastado. Se limpia y se pide el "
                "repuesto al distribuidor; queda funcionando.",
            ),
            Reply(
                ANDRES,
                0.1,
                "Luis, revisamos la multifuncional: el rodillo de la bandeja 2 estaba gastado. "
                "Lo limpiamos y ya imprime sin atascos; el repuesto definitivo llega la próxima "
                "semana y lo cambiamos sin costo.",
            ),
            Status(ANDRES, 0.05, RESOLVED),
        ),
    ),
    Story(
        "acme-teams-pantalla",
        SOFIA,
        (2, "10:30"),
        "Teams no deja compartir pantalla en el portátil",
        "Desde la actualización de Windows del martes, cuando intento compartir pantalla en una "
        "reunión de Teams en el portátil ACM-PT-0198 los demás ven una pantalla negra. El "
        "audio y la cámara funcionan. Probé reiniciando y cerrando sesión en Teams, sin "
        "cambio. Me pasa en la Sede Chicó y en la casa.",
        category="Software/Ofimática",
        site=ACME_CHICO,
        service=MESA_DE_AYUDA,
        steps=(
            Take(DIANA, 1),
            Status(DIANA, 0.05, OPEN),
            Reply(
                DIANA,
                0.3,
                "Sofía, ¿podemos conectarnos a su portátil hoy a las 3:00 p. m. para revisarlo? "
                "Le llegará al correo la invitación de acceso remoto.",
            ),
            Reply(SOFIA, 0.5, "Sí, a las 3:00 estoy disponible."),
            Note(
                DIANA,
                3,
                "Sesión remota: Windows Update instaló un controlador de video Intel genérico y "
                "Teams no captura la pantalla con aceleración por hardware. Paliativo: "
                "aceleración por hardware desactivada en Teams. Pendiente instalar el "
                "controlador del fabricante.",
            ),
        ),
    ),
    Story(
        "acme-gerente-bloqueado",
        ANA,
        (3, "07:38"),
        "Gerente bloqueado en el correo antes de la junta directiva",
        "WhatsApp de Ana María Restrepo a las 7:35 a. m.: el gerente general, Germán Acosta, no "
        "puede entrar al correo desde el portátil ni desde el celular; le sale «Su cuenta se "
        "bloqueó por actividad inusual». A las 9:00 a. m. presenta en la junta directiva y la "
        "presentación está en su OneDrive.",
        channel=WHATSAPP,
        registered_by=ANDRES,
        category="Accesos/Contraseñas",
        site=ACME_CHICO,
        priority=URGENTE,
        service=MESA_DE_AYUDA,
        steps=(
            Take(ANDRES, 0.05),
            Status(ANDRES, 0.02, OPEN),
            Change(ANDRES, 0.02, tags=("seguridad",)),
            Note(
                ANDRES,
                0.2,
                "Microsoft 365 bloqueó la cuenta por intentos de inicio de sesión desde otro "
                "país a las 3:12 a. m. (fallidos, no hubo acceso). Se desbloquea, se cambia la "
                "contraseña y se activa la verificación en dos pasos con el celular del gerente.",
            ),
            Reply(
                ANDRES,
                0.1,
                "Ana, la cuenta del gerente quedó desbloqueada. El bloqueo fue por intentos de "
                "acceso desde el exterior esta madrugada (no lograron entrar). Cambiamos la "
                "contraseña y activamos la verificación en dos pasos; la contraseña nueva se la "
                "di por teléfono directamente a él.",
            ),
            Reply(ANA, 0.3, "Gracias, ya entró y tiene la presentación."),
            Status(ANDRES, 0.2, RESOLVED),
            Rate(ANA, 1, NEUTRAL, "Quedó bien, pero el gerente estuvo casi una hora sin poder entrar."),
        ),
    ),
    Story(
        "acme-nomina-otra-vez",
        LUIS,
        (6, "08:12"),
        "Volvió el error de conexión en el módulo de nómina",
        "Hoy a las 8:05 a. m. volvió a salir el «Error 1045» al abrir el módulo de nómina, en el "
        "mismo computador ACM-PC-0114. Ayer en la tarde se instaló una actualización del ERP. "
        "Es el mismo caso del ticket anterior.",
        category="Software/ERP",
        site=ACME_CHICO,
        priority=ALTA,
        service=MESA_DE_AYUDA,
        continues="acme-error-nomina",
        steps=(
            Take(DIANA, 0.5),
            Status(DIANA, 0.05, OPEN),
            Change(DIANA, 0.05, tags=("erp", "nómina")),
            Note(
                DIANA,
                1,
                "La actualización del ERP reescribe la conexión ODBC en cada instalación. Se "
                "escala al fabricante para que la conexión quede en el perfil y no en el "
                "instalador; mientras tanto se corrige a mano.",
            ),
            Reply(
                DIANA,
                0.3,
                "Luis, dejé el módulo de nómina funcionando otra vez. Abrimos un caso con el "
                "fabricante del ERP para que las actualizaciones no vuelvan a cambiar la "
                "conexión; le aviso cuando respondan.",
            ),
            Reply(LUIS, 2, "Listo, gracias. Quedo atento."),
        ),
    ),
)
