"""Globex Ltda., Medellín: offices in El Poblado and a plant in Itagüí. The cases still on
the desk, among them one related to a closed outage."""

from __future__ import annotations

from atiende.demo.data import (
    ANDRES,
    CARLA,
    DIANA,
    EFRAIN,
    GLOBEX,
    GLOBEX_PLANTA,
    GLOBEX_POBLADO,
    JORGE,
    JULIAN,
    MESA_DE_AYUDA,
    ON_DEMAND,
    PATRICIA,
    REDES,
    SERVIDORES,
    SOFIA,
)
from atiende.demo.script import (
    ALTA,
    BAD,
    BAJA,
    EMAIL,
    GOOD,
    OPEN,
    PENDING,
    PHONE,
    PREGUNTA,
    PROBLEMA,
    REQUERIMIENTO,
    RESOLVED,
    UNVERIFIED,
    Assign,
    Change,
    Link,
    Note,
    Rate,
    Reply,
    Status,
    Story,
    Take,
)

GLOBEX_STORIES = (
    Story(
        "globex-transferencias",
        JULIAN,
        (10, "15:12"),
        "Las llamadas se caen al transferirlas entre extensiones de la planta",
        "Desde hace unas dos semanas, cuando la recepción de la planta transfiere una llamada a "
        "producción (ext. 420) o a despachos (ext. 431), la llamada se corta al contestar, más "
        "o menos la mitad de las veces, y el cliente tiene que volver a llamar. Las llamadas "
        "directas a las extensiones sí funcionan.",
        queue=REDES,
        type=PROBLEMA,
        category="Telefonía/Extensiones",
        site=GLOBEX_PLANTA,
        service=ON_DEMAND,
        steps=(
            Take(JORGE, 3),
            Status(JORGE, 0.05, OPEN),
            Link(JORGE, 0.1, "globex-planta-sin-internet"),
            Note(
                JORGE,
                1,
                "Empezó después de la caída de la planta (ticket relacionado): al reconectar la "
                "central, quedó en un puerto del switch sin la VLAN de voz y el audio sale sin "
                "prioridad (QoS). Se corrige la configuración del puerto.",
            ),
            Reply(
                JORGE,
                0.2,
                "Julián, desde la caída por la tormenta la central telefónica quedó conectada "
                "en un puerto sin la configuración de voz. Ya lo corregimos. ¿Pueden hacer unas "
                "transferencias de prueba hoy y nos cuentan?",
            ),
            Reply(JULIAN, 5, "Hicimos 10 transferencias y ninguna se cayó."),
            Status(JORGE, 0.2, RESOLVED),
            Rate(JULIAN, 1, GOOD, "Muy rápidos y claros, gracias."),
        ),
    ),
    Story(
        "globex-excel-horas-extra",
        CARLA,
        (5, "10:48"),
        "Excel se cierra al abrir el reporte de horas extra",
        "Cada vez que abro el reporte de horas extra del mes (lo descarga en CSV el sistema de "
        "control de acceso), Excel se cierra sin mostrar ningún error. Me pasa en mi "
        "computador GLX-PC-0045, en la oficina de Gestión Humana. Adjunto una copia reducida "
        "del archivo (el original tiene 1.800 filas). Los archivos de otros meses sí abren.",
        category="Software/Ofimática",
        site=GLOBEX_POBLADO,
        service=MESA_DE_AYUDA,
        files=("horas-extra.csv",),
        steps=(
            Take(DIANA, 2),
            Status(DIANA, 0.05, OPEN),
            Reply(
                DIANA,
                0.3,
                "Carla, la copia reducida abre bien en nuestro equipo. ¿Puede abrir el original "
                "desde Excel con Datos > Desde texto/CSV, con origen «65001: Unicode (UTF-8)» y "
                "delimitador punto y coma? Me cuenta si así abre.",
            ),
            Reply(
                CARLA,
                4,
                "Así sí abre, pero necesito que funcione con doble clic porque también lo usan "
                "los supervisores.",
            ),
            Note(
                DIANA,
                1,
                "GLX-PC-0045 tiene Excel 2016 sin actualizar, que se cierra con CSV grandes con "
                "tildes. Programar el cambio a Microsoft 365 Apps; verificar si Globex tiene "
                "licencia disponible.",
            ),
        ),
    ),
    Story(
        "globex-verificacion-dos-pasos",
        SOFIA,
        (3, "16:20"),
        "¿Cómo activo la verificación en dos pasos en el correo de Globex?",
        "Hola. Globex me pidió activar la verificación en dos pasos en mi cuenta de consultora "
        "(sofia.herrera@globex.test), que uso desde mi portátil de Acme. ¿Qué aplicación debo "
        "instalar en el celular y cuáles son los pasos? No quiero perder el acceso al correo "
        "de Acme.",
        company=GLOBEX,
        type=PREGUNTA,
        category="Accesos/Contraseñas",
        priority=BAJA,
        service=MESA_DE_AYUDA,
        steps=(
            Take(ANDRES, 3),
            Reply(
                ANDRES,
                0.5,
                "Sofía, instale Microsoft Authenticator en el celular. Luego, desde el "
                "portátil, entre a https://aka.ms/mfasetup con su cuenta de Globex y elija "
                "«Aplicación de autenticación» > escanee el código QR > apruebe la notificación "
                "de prueba. La cuenta de Acme no cambia. ¿Quiere que lo hagamos juntos por "
                "videollamada?",
            ),
            Status(ANDRES, 0.05, PENDING),
        ),
    ),
    Story(
        "globex-wifi-despachos",
        JULIAN,
        (1, "14:25"),
        "2_SIN WI-FI EN LA ZONA DE DESPACHOS DE LA PLANTA",
        "Buenas tardes. Desde las 2:00 p. m. los lectores y las tabletas de la zona de "
        "despachos de la Planta Itagüí no encuentran la red GLOBEX-PLANTA; en la oficina de "
        "producción sí aparece. Tenemos 3 camiones cargando y estamos registrando las salidas "
        "a mano.\n\nJulián Ospina",
        queue=REDES,
        channel=EMAIL,
        sender=UNVERIFIED,  # no mail-server pass: opened, and marked for the engineers
        category="Red/Wi-Fi",
        site=GLOBEX_PLANTA,
        priority=ALTA,
        service=ON_DEMAND,
    ),
    Story(
        "globex-portatil-analista",
        CARLA,
        (0, "08:40"),
        "Alistar portátil para la nueva analista de nómina",
        "El lunes ingresa Daniela Cardona como analista de nómina en las Oficinas El Poblado. "
        "Necesitamos un portátil con Office y el ERP, usuario de Windows, el correo "
        "daniela.cardona@globex.test y acceso de lectura y escritura a \\\\GLX-FS01\\Nomina, "
        "igual que el mío.",
        type=REQUERIMIENTO,
        category="Hardware/Computadores",
        site=GLOBEX_POBLADO,
        service=MESA_DE_AYUDA,
    ),
    Story(
        "globex-servidor-lleno",
        JULIAN,
        (8, "10:41"),
        "El servidor de archivos de la planta está casi lleno",
        "Hoy a las 10:30 a. m., al guardar un plano en \\\\GLX-FS02\\Mantenimiento\\Planos, "
        "salió «No hay espacio suficiente en el disco». Borramos unos archivos temporales y "
        "pudimos guardar, pero el disco E: del servidor muestra solo 22 GB libres de 1 TB. "
        "Necesitamos una solución antes del cierre de mes.",
        type=PROBLEMA,
        category="Servidores/Almacenamiento",
        site=GLOBEX_PLANTA,
        priority=ALTA,
        service=SERVIDORES,
        steps=(
            Assign(PATRICIA, 1, ANDRES),
            Status(ANDRES, 0.3, OPEN),
            Change(ANDRES, 0.05, tags=("almacenamiento",)),
            Note(
                ANDRES,
                2,
                "Informe de uso por carpeta: casi la mitad del disco es «Videos capacitacion» "
                "(487 GB), sin cambios hace meses. Propuesta: mover los videos al "
                "almacenamiento en la nube y ampliar el disco E: en 500 GB (el host tiene "
                "espacio).",
                files=("uso-disco-glx-fs02.csv",),
            ),
            Reply(
                ANDRES,
                0.2,
                "Julián, la carpeta de videos de capacitación ocupa casi la mitad del disco. "
                "Proponemos moverla a la nube y además ampliar el disco en 500 GB; le enviamos "
                "la propuesta a Carla para aprobación. Mientras tanto liberamos 40 GB de copias "
                "temporales para que puedan trabajar.",
            ),
            Reply(
                JULIAN,
                6,
                "De acuerdo. Los videos los usa Calidad solo en las inducciones, se pueden mover.",
            ),
        ),
    ),
    Story(
        "globex-seleccion-rebotes",
        CARLA,
        (6, "11:24"),
        "El buzón de selección no recibe correos externos",
        "Llamada de Carla Jiménez a las 11:20 a. m.: desde ayer en la tarde el buzón "
        "seleccion@globex.test no recibe correos de fuera de la compañía; a los candidatos les "
        "rebotan. Los correos internos sí llegan. El rebote que le reenviaron dice «550 5.4.1 "
        "Recipient address rejected: Access denied».",
        channel=PHONE,
        registered_by=DIANA,
        category="Software/Correo",
        site=GLOBEX_POBLADO,
        priority=ALTA,
        service=MESA_DE_AYUDA,
        steps=(
            Take(DIANA, 0.1),
            Status(DIANA, 0.05, OPEN),
            Change(DIANA, 0.05, tags=("correo",)),
            Note(
                DIANA,
                0.5,
                "seleccion@ es un grupo de Microsoft 365 y tenía desactivada la opción de "
                "recibir correos de personas externas (se cambió ayer al editar los miembros). "
                "Se activa de nuevo.",
            ),
            Reply(
                DIANA,
                0.1,
                "Carla, el buzón de selección ya recibe otra vez correos externos: una opción "
                "del grupo se desactivó al editar los miembros. Si algún candidato le vuelve a "
                "reportar un rebote, me avisa.",
            ),
            Status(DIANA, 0.1, RESOLVED),
            Rate(
                CARLA,
                2,
                BAD,
                "Los candidatos estuvieron un día entero sin poder escribirnos y nadie nos avisó "
                "de que el cambio lo habían hecho ustedes.",
            ),
        ),
    ),
    Story(
        "globex-licencia-practicante",
        CARLA,
        (12, "14:02"),
        "Licencia de Office para la practicante de Gestión Humana",
        "Necesitamos una licencia de Office para la practicante de Gestión Humana, Manuela "
        "Ríos, que empieza el primero del próximo mes y usará el computador GLX-PC-0052. "
        "¿Cuánto cuesta y cuánto se demora?",
        type=REQUERIMIENTO,
        category="Software/Ofimática",
        site=GLOBEX_POBLADO,
        priority=BAJA,
        service=MESA_DE_AYUDA,
        steps=(
            Take(DIANA, 4),
            Reply(
                DIANA,
                0.5,
                "Carla, las dos licencias que liberamos el mes pasado ya están asignadas, así "
                "que Globex no tiene licencias libres. Microsoft 365 Business Standard cuesta "
                "alrededor de 12,50 USD por usuario al mes. Si nos confirma la aprobación de "
                "compra, la activamos el mismo día.",
            ),
            Status(DIANA, 0.05, PENDING),
        ),
    ),
    Story(
        "globex-camara-porteria",
        EFRAIN,
        (1, "06:50"),
        "La cámara de la portería de la planta no aparece en el grabador",
        "Llamada de Efraín Gutiérrez (portería de la planta, sin correo; prefiere WhatsApp al "
        "+57 318 555 0191): desde el cambio de turno de las 6:00 la cámara de la entrada de "
        "camiones sale en negro en el monitor de la portería; las otras tres cámaras se ven "
        "bien. Nadie movió el grabador.",
        channel=PHONE,
        registered_by=DIANA,
        category="Hardware/Periféricos",
        site=GLOBEX_PLANTA,
        service=MESA_DE_AYUDA,
        steps=(
            Take(DIANA, 0.2),
            Status(DIANA, 0.05, OPEN),
            Note(
                DIANA,
                0.5,
                "@agente, tú instalaste el grabador de la planta: ¿la cámara de la entrada de "
                "camiones va por PoE desde el switch de la portería o tiene fuente propia? Si es "
                "PoE, reviso el puerto antes de pedir la visita.",
            ),
        ),
    ),
)
