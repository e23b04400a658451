"""Acme S.A.S., Bogotá: the cases of the past weeks, all closed. Help-desk and network
contracts in force; Ana sees every company ticket, the others only their own."""

from __future__ import annotations

from atiende.demo.data import (
    ACME_BODEGA,
    ACME_CHICO,
    ANA,
    ANDRES,
    DIANA,
    JORGE,
    LUIS,
    MATEO,
    MESA_DE_AYUDA,
    REDES,
    REDES_SERVICE,
    SOFIA,
)
from atiende.demo.script import (
    ALTA,
    BAJA,
    EMAIL,
    OPEN,
    PHONE,
    PREGUNTA,
    REQUERIMIENTO,
    RESOLVED,
    URGENTE,
    Change,
    Close,
    Note,
    Reply,
    Status,
    Story,
    Take,
)

ACME_PAST_STORIES = (
    Story(
        "acme-ingreso-auxiliar",
        ANA,
        (41, "08:12"),
        "Crear usuario y correo para nueva auxiliar contable",
        "Buenos días. El lunes ingresa Valeria Torres como auxiliar contable en la Sede Chicó "
        "(piso 5, puesto 12). Necesitamos crearle usuario de Windows, el correo "
        "valeria.torres@acme.test y acceso a la carpeta compartida de Contabilidad y al ERP, "
        "con el mismo perfil de Luis Castaño. El equipo asignado es el portátil Lenovo "
        "ThinkPad con placa ACM-PT-0231.",
        type=REQUERIMIENTO,
        category="Accesos/Cuentas de usuario",
        site=ACME_CHICO,
        service=MESA_DE_AYUDA,
        steps=(
            Take(ANDRES, 0.6),
            Status(ANDRES, 0.05, OPEN),
            Change(ANDRES, 0.05, tags=("ingreso de personal",)),
            Note(
                ANDRES,
                2,
                "Usuario vtorres creado en el directorio activo con el perfil de Contabilidad. "
                "Licencia de Microsoft 365 Business Standard asignada (quedan 2 libres). El "
                "acceso al ERP lo crea el administrador del ERP de Acme; ya se le escribió.",
            ),
            Reply(
                ANDRES,
                20,
                "Ana, buenos días. Quedó creado el usuario vtorres con el correo "
                "valeria.torres@acme.test; la contraseña temporal se la entregamos a Valeria "
                "por teléfono. El portátil ACM-PT-0231 quedó alistado con Office, antivirus y "
                "la impresora del piso 5. El acceso al ERP lo habilitó hoy su administrador.",
            ),
            Reply(ANA, 3, "Gracias, Andrés. Valeria ya ingresó y le funciona todo."),
            Status(ANDRES, 0.5, RESOLVED),
            Close(ANA, 18),
        ),
    ),
    Story(
        "acme-error-nomina",
        LUIS,
        (39, "15:34"),
        "2_ERROR AL LIQUIDAR NÓMINA EN EL ERP",
        "Buenas tardes. Hoy a las 3:20 p. m., en el computador de Contabilidad (ACM-PC-0114, "
        "piso 5, Sede Chicó), al liquidar la nómina de la primera quincena en el ERP, el "
        "sistema muestra «Error 1045: no se pudo conectar con la base de datos de nómina» y se "
        "cierra. Lo intenté tres veces y reinicié el equipo; el módulo de facturación sí abre "
        "normal. Debemos pagar mañana.\n\nLuis Fernando Castaño, Contabilidad, ext. 214",
        channel=EMAIL,
        category="Software/ERP",
        site=ACME_CHICO,
        priority=ALTA,
        service=MESA_DE_AYUDA,
        steps=(
            Take(DIANA, 0.4),
            Status(DIANA, 0.05, OPEN),
            Change(DIANA, 0.05, tags=("erp", "nómina")),
            Note(
                DIANA,
                0.5,
                "Conexión remota al equipo: tras la actualización del cliente del ERP, la "
                "conexión ODBC de nómina apunta al servidor anterior (ACM-SRV02). Se corrige "
                "a ACM-SRV04.",
            ),
            Reply(
                DIANA,
                0.5,
                "Luis, corregí la conexión del módulo de nómina en su equipo; quedó apuntando "
                "al servidor actual. Por favor intente liquidar de nuevo y me confirma.",
            ),
            Reply(LUIS, 1, "Ya liquidé la quincena y funcionó. Gracias."),
            Status(DIANA, 0.2, RESOLVED),
            Close(DIANA, 48),
        ),
    ),
    Story(
        "acme-etiquetas-bodega",
        MATEO,
        (37, "07:46"),
        "La impresora de etiquetas de despachos no imprime las guías",
        "Llamada de Mateo Quintero (bodega, ext. 305) a las 7:40 a. m.: la impresora de "
        "etiquetas Zebra ZD420 del muelle 2 tiene la luz roja intermitente y no imprime las "
        "guías de transporte. Ya apagó y encendió la impresora y cambió el rollo de etiquetas. "
        "Hay 60 pedidos por despachar antes de las 11:00 a. m.",
        channel=PHONE,
        registered_by=ANDRES,
        category="Hardware/Impresoras",
        site=ACME_BODEGA,
        priority=ALTA,
        service=MESA_DE_AYUDA,
        steps=(
            Take(ANDRES, 0.1),
            Status(ANDRES, 0.05, OPEN),
            Note(
                ANDRES,
                0.2,
                "Por la luz roja intermitente después del cambio de rollo, parece el sensor "
                "de etiquetas descalibrado. Se guía a Mateo para calibrar (botón FEED).",
            ),
            Reply(
                ANDRES,
                0.1,
                "Mateo, como hablamos: con la impresora encendida y la tapa cerrada, mantenga "
                "presionado el botón FEED hasta que la luz parpadee dos veces y suéltelo. La "
                "impresora avanza unas etiquetas y queda calibrada. Si vuelve la luz roja, me "
                "avisa por aquí.",
            ),
            Reply(MATEO, 0.4, "Funcionó, ya está imprimiendo las guías. Mil gracias."),
            Status(ANDRES, 0.1, RESOLVED),
            Close(ANDRES, 30),
        ),
    ),
    Story(
        "acme-sin-internet",
        ANA,
        (34, "09:18"),
        "1_SIN INTERNET ÁREA DE SERVICIOS",
        "Desde las 9:10 a. m. de hoy no hay Internet en el área de servicios del piso 5 de la "
        "Sede Chicó (unos 25 puestos). Los teléfonos IP funcionan y la red interna también: "
        "abre el ERP, pero no el correo ni las páginas web. Reiniciamos el módem del proveedor "
        "que está en el rack del piso 5 y sigue igual. Adjunto el resultado del ping y del "
        "tracert desde mi equipo.\n\nAna María Restrepo, Administración, ext. 201",
        queue=REDES,
        channel=EMAIL,
        category="Red/Internet",
        site=ACME_CHICO,
        priority=URGENTE,
        service=REDES_SERVICE,
        files=("ping-internet.txt",),
        steps=(
            Take(JORGE, 0.15),
            Status(JORGE, 0.05, OPEN),
            Change(JORGE, 0.05, tags=("caída de internet", "proveedor")),
            Note(
                JORGE,
                0.3,
                "El firewall de la sede ve el enlace principal arriba pero sin respuesta "
                "después del primer salto: falla del proveedor. Caso radicado con el proveedor "
                "de Internet (radicado 4587120), tiempo de solución ofrecido 4 h. Se activa el "
                "canal de respaldo 4G para el área de servicios.",
            ),
            Reply(
                JORGE,
                0.1,
                "Ana, la falla es del proveedor de Internet y ya está reportada (radicado "
                "4587120). Mientras la solucionan activamos el canal de respaldo: en unos "
                "minutos el área de servicios vuelve a tener Internet, un poco más lento. Le "
                "aviso cuando el canal principal esté restablecido.",
            ),
            Reply(ANA, 0.4, "Confirmo que ya hay Internet con el respaldo. Gracias, Jorge."),
            Note(
                JORGE,
                3.5,
                "El proveedor cambió el transceptor óptico en su nodo. Enlace principal estable "
                "desde las 14:05; se desactiva el respaldo 4G.",
            ),
            Reply(
                JORGE,
                0.1,
                "Ana, el canal principal quedó restablecido a las 2:05 p. m. y ya retiramos el "
                "respaldo. Si nota lentitud, nos avisa.",
            ),
            Status(JORGE, 0.05, RESOLVED),
            Close(JORGE, 48),
        ),
    ),
    Story(
        "acme-calendario",
        SOFIA,
        (30, "10:05"),
        "¿Cómo comparto mi calendario de Outlook con el equipo?",
        "Hola. Necesito que mis compañeros de Contabilidad vean mi calendario de Outlook para "
        "agendar reuniones conmigo, pero solo la disponibilidad, no el detalle de las citas. "
        "Uso Outlook de escritorio en el portátil. ¿Cómo lo hago?",
        type=PREGUNTA,
        category="Software/Ofimática",
        site=ACME_CHICO,
        priority=BAJA,
        service=MESA_DE_AYUDA,
        steps=(
            Take(DIANA, 2),
            Reply(
                DIANA,
                0.3,
                "Hola, Sofía. En Outlook de escritorio:\n1. Vaya a Calendario.\n2. Clic derecho "
                "sobre «Calendario» > Compartir > Permisos del calendario.\n3. Agregue el grupo "
                "«Contabilidad» y en Permisos elija «Puede ver cuándo estoy ocupado».\n4. "
                "Aceptar.\nSus compañeros verán solo los bloques ocupados.",
            ),
            Reply(SOFIA, 4, "Perfecto, ya quedó. ¡Gracias!"),
            Status(DIANA, 0.5, RESOLVED),
            Close(SOFIA, 6),
        ),
    ),
    Story(
        "acme-cuenta-bloqueada",
        LUIS,
        (28, "07:58"),
        "Contraseña vencida: no puedo iniciar sesión en el computador",
        "Esta mañana a las 7:50, en mi computador ACM-PC-0114, Windows me pidió cambiar la "
        "contraseña. La cambié y ahora dice «La cuenta de usuario está bloqueada y no se puede "
        "usar para iniciar sesión». No tengo acceso a nada; escribo desde el celular.",
        category="Accesos/Contraseñas",
        site=ACME_CHICO,
        priority=ALTA,
        service=MESA_DE_AYUDA,
        steps=(
            Take(ANDRES, 0.2),
            Status(ANDRES, 0.05, OPEN),
            Note(
                ANDRES,
                0.1,
                "Cuenta bloqueada por 5 intentos fallidos desde el celular de Luis: el correo "
                "del celular seguía con la contraseña anterior. Se desbloquea.",
            ),
            Reply(
                ANDRES,
                0.1,
                "Luis, su cuenta se bloqueó porque el correo del celular seguía intentando "
                "entrar con la contraseña anterior. Ya la desbloqueé: ingrese en el computador "
                "con la contraseña nueva y actualícela también en el celular (Configuración > "
                "Cuentas > Correo).",
            ),
            Status(ANDRES, 0.1, RESOLVED),
            Note(ANDRES, 72, "Sin novedades del usuario en tres días hábiles; se cierra."),
            Close(ANDRES, 0.05),
        ),
    ),
    Story(
        "acme-carpeta-gerencia",
        ANA,
        (20, "16:14"),
        "Acceso de Luis Castaño a la carpeta de Presupuesto",
        "Llamada de Ana María Restrepo a las 4:10 p. m.: autoriza dar a Luis Fernando Castaño "
        "acceso de solo lectura a la carpeta compartida \\\\ACM-FS01\\Gerencia\\Presupuesto "
        "para preparar el presupuesto del próximo año. Envía por correo la autorización del "
        "gerente general.",
        channel=PHONE,
        registered_by=ANDRES,
        type=REQUERIMIENTO,
        category="Accesos/Permisos",
        site=ACME_CHICO,
        service=MESA_DE_AYUDA,
        steps=(
            Take(ANDRES, 0.1),
            Reply(
                ANA, 0.3, "Andrés, reenvié a soporte@atiende.test el correo del gerente con la autorización."
            ),
            Status(ANDRES, 0.2, OPEN),
            Note(
                ANDRES,
                0.3,
                "Autorización del gerente recibida y archivada. Se agrega lcastano al grupo "
                "GG_Presupuesto_Lectura.",
            ),
            Reply(
                ANDRES,
                0.1,
                "Ana, Luis ya tiene acceso de solo lectura a la carpeta Presupuesto. Debe "
                "cerrar sesión y volver a entrar para verla.",
            ),
            Status(ANDRES, 0.05, RESOLVED),
            Close(ANA, 26),
        ),
    ),
    Story(
        "acme-lectores-patio",
        MATEO,
        (22, "11:25"),
        "Los lectores de códigos pierden la conexión en el patio de cargue",
        "Los lectores de código de barras inalámbricos (Zebra TC21) pierden la conexión Wi-Fi "
        "cuando los auxiliares salen al patio de cargue de la bodega; al volver adentro se "
        "reconectan, pero se pierde el cargue que estaban registrando. Pasa desde que la semana "
        "pasada se movió el rack de la oficina de la bodega.",
        queue=REDES,
        category="Red/Wi-Fi",
        site=ACME_BODEGA,
        priority=ALTA,
        service=REDES_SERVICE,
        steps=(
            Take(JORGE, 1),
            Status(JORGE, 0.05, OPEN),
            Change(JORGE, 0.05, tags=("wifi", "visita en sitio")),
            Note(
                JORGE,
                20,
                "Visita: al mover el rack desconectaron el AP exterior del patio "
                "(AP-BOD-EXT01), que quedó sin PoE. Se reconecta al puerto 14 del switch y se "
                "etiqueta el cable.",
            ),
            Reply(
                JORGE,
                0.1,
                "Mateo, el punto de acceso del patio quedó desconectado cuando movieron el "
                "rack. Ya lo reconectamos; por favor prueben los lectores en el patio y nos "
                "cuentan.",
            ),
            Reply(MATEO, 2, "Probamos en todo el patio y no se volvieron a desconectar."),
            Status(JORGE, 0.1, RESOLVED),
            Close(MATEO, 20),
        ),
    ),
)
