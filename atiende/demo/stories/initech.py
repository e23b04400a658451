"""Initech de México, Ciudad de México: one office in Polanco. Its help-desk contract ended
and was not renewed, so every ticket is on-demand support billed by the hour."""

from __future__ import annotations

from atiende.demo.data import (
    ANDRES,
    DIANA,
    INITECH_POLANCO,
    JORGE,
    MARIANA,
    ON_DEMAND,
    PATRICIA,
    REDES,
    ROBERTO,
)
from atiende.demo.script import (
    ALTA,
    BAJA,
    EMAIL,
    OPEN,
    PENDING,
    PHONE,
    PREGUNTA,
    REQUERIMIENTO,
    RESOLVED,
    WHATSAPP,
    Change,
    Close,
    Note,
    Reply,
    Status,
    Story,
    Take,
)

INITECH_STORIES = (
    Story(
        "initech-impresora-compras",
        MARIANA,
        (38, "10:15"),
        "3_INSTALAR IMPRESORA NUEVA EN COMPRAS",
        "Buen día. Llegó la impresora HP LaserJet Pro M404dn para el área de Compras (piso 3, "
        "Corporativo Polanco). Necesitamos que la instalen en la red y en las 5 computadoras "
        "del área. Ya está conectada a la corriente y al nodo de red junto a la ventana.\n\n"
        "Saludos,\nMariana López, Compras, ext. 1203",
        channel=EMAIL,
        type=REQUERIMIENTO,
        category="Hardware/Impresoras",
        site=INITECH_POLANCO,
        priority=BAJA,
        service=ON_DEMAND,
        steps=(
            Take(DIANA, 2),
            Status(DIANA, 0.05, OPEN),
            Note(
                DIANA,
                1,
                "Sin contrato vigente: soporte por demanda. Se informó a Mariana la tarifa por "
                "hora antes de empezar; aprobado por correo.",
            ),
            Reply(
                DIANA,
                0.5,
                "Mariana, instalamos la impresora con IP fija 10.20.3.40 y la agregamos a las 5 "
                "computadoras de Compras. Tiempo facturado: 1 hora de soporte por demanda. ¿Nos "
                "confirma que todos pueden imprimir?",
            ),
            Reply(MARIANA, 2, "Todos imprimen bien, gracias."),
            Status(DIANA, 0.1, RESOLVED),
            Close(MARIANA, 20),
        ),
    ),
    Story(
        "initech-adjuntos-grandes",
        ROBERTO,
        (27, "12:14"),
        "No puede enviar correos con archivos adjuntos grandes",
        "Llamada de Roberto Hernández (almacén, ext. 1240) a las 12:10 p. m.: al enviar a un "
        "proveedor el inventario con fotos (un archivo ZIP de 38 MB) desde Outlook, el correo "
        "se queda en la Bandeja de salida y luego sale «El mensaje excede el tamaño máximo "
        "permitido».",
        channel=PHONE,
        registered_by=ANDRES,
        category="Software/Correo",
        site=INITECH_POLANCO,
        service=ON_DEMAND,
        steps=(
            Take(ANDRES, 0.1),
            Status(ANDRES, 0.05, OPEN),
            Reply(
                ANDRES,
                0.3,
                "Roberto, el correo permite adjuntos de hasta 25 MB. Para archivos más grandes, "
                "súbalo a OneDrive y en Outlook use Adjuntar > Cargar en OneDrive: el proveedor "
                "recibe un enlace. Le dejé una guía con los pasos en su correo.",
            ),
            Reply(ROBERTO, 1, "Ya lo envié con el enlace, gracias."),
            Status(ANDRES, 0.1, RESOLVED),
            Close(ANDRES, 48),
        ),
    ),
    Story(
        "initech-vpn-monterrey",
        MARIANA,
        (11, "09:30"),
        "Configurar VPN para dos vendedores en Monterrey",
        "Tenemos dos vendedores que trabajarán desde Monterrey a partir del próximo lunes: Diego "
        "Salinas y Paola Garza. Necesitan entrar al sistema de compras y a la carpeta "
        "compartida de Ventas como si estuvieran en la oficina de Polanco. Sus laptops ya "
        "tienen Windows 11 y las tienen ellos.",
        queue=REDES,
        type=REQUERIMIENTO,
        category="Red/VPN",
        site=INITECH_POLANCO,
        service=ON_DEMAND,
        steps=(
            Take(JORGE, 3),
            Status(JORGE, 0.05, OPEN),
            Change(JORGE, 0.05, tags=("vpn",)),
            Reply(
                JORGE,
                0.5,
                "Mariana, para configurar la VPN necesitamos 30 minutos con cada vendedor por "
                "videollamada. ¿Nos comparte sus celulares o les pide que nos escriban? Es "
                "soporte por demanda: estimamos 2 horas en total.",
            ),
            Reply(
                MARIANA,
                3,
                "Diego: +52 81 5555 0192. Paola: +52 81 5555 0147. Ya les avisé que los van a llamar.",
            ),
            Note(
                JORGE,
                24,
                "VPN configurada en ambas laptops: perfil Ventas, acceso solo a ERP-COMPRAS y a "
                "\\\\INI-FS01\\Ventas. 2 h facturables.",
            ),
            Reply(
                JORGE,
                0.1,
                "Mariana, Diego y Paola ya se conectan a la VPN y probaron el sistema de compras "
                "y la carpeta de Ventas.",
            ),
            Status(JORGE, 0.1, RESOLVED),
        ),
    ),
    Story(
        "initech-laptop-lenta",
        ROBERTO,
        (9, "09:18"),
        "Laptop del almacén muy lenta desde la actualización de Windows",
        "WhatsApp de Roberto Hernández (almacén, 9:15 a. m.): desde la actualización de Windows "
        "de la semana pasada, la laptop del almacén (Dell Latitude 3420, etiqueta INI-LT-017) "
        "tarda 10 minutos en encender y el sistema de inventarios se congela al escanear. En el "
        "Administrador de tareas el disco aparece al 100 %.",
        channel=WHATSAPP,
        registered_by=DIANA,
        category="Hardware/Computadores",
        site=INITECH_POLANCO,
        service=ON_DEMAND,
        steps=(
            Take(DIANA, 0.2),
            Status(DIANA, 0.05, OPEN),
            Note(
                DIANA,
                1,
                "Revisión remota: disco mecánico de 500 GB con sectores reasignados (SMART en "
                "advertencia). Recomendación: cambiarlo por un SSD de 512 GB. Cotizar repuesto "
                "e instalación por demanda.",
            ),
            Reply(
                DIANA,
                0.2,
                "Roberto, el disco duro de la laptop está fallando y eso la hace lenta. "
                "Recomendamos cambiarlo por un disco de estado sólido; le enviamos la cotización "
                "a Mariana para que la aprueben. Mientras tanto, respalde en OneDrive lo que "
                "tenga en el Escritorio.",
            ),
            Status(DIANA, 0.05, PENDING),
        ),
    ),
    Story(
        "initech-usuario-compras",
        MARIANA,
        (2, "09:02"),
        "2_USUARIO BLOQUEADO EN EL SISTEMA DE COMPRAS",
        "Buen día. Desde hoy a las 8:50 a. m. no puedo entrar al sistema de compras desde mi "
        "computadora (piso 3, Polanco): después de escribir la contraseña sale «Usuario "
        "bloqueado. Contacte al administrador». Tengo que liberar 12 órdenes de compra hoy "
        "antes de las 5:00 p. m.\n\nMariana López, Compras, ext. 1203",
        channel=EMAIL,
        category="Accesos/Contraseñas",
        site=INITECH_POLANCO,
        priority=ALTA,
        service=ON_DEMAND,
        steps=(
            Take(ANDRES, 0.3),
            Status(ANDRES, 0.05, OPEN),
            Reply(
                ANDRES,
                0.2,
                "Mariana, el sistema de compras lo administra su proveedor y el desbloqueo lo "
                "hace un usuario administrador de Initech. ¿Sabe quién más tiene usuario "
                "administrador? Mientras tanto le escribimos al proveedor.",
            ),
            Reply(MARIANA, 0.5, "El administrador es Ernesto Ruiz, de Finanzas, pero está de vacaciones."),
            Note(
                ANDRES,
                0.3,
                "El proveedor pide autorización escrita del representante legal de Initech para "
                "desbloquear sin el administrador. Se le pidió a Mariana por correo.",
            ),
        ),
    ),
    Story(
        "initech-wifi-almacen",
        ROBERTO,
        (0, "07:55"),
        "Cotización para ampliar la cobertura Wi-Fi del almacén",
        "Buen día. En el almacén (planta baja del Corporativo Polanco) la señal Wi-Fi no llega "
        "a los pasillos del fondo, donde hacemos el conteo de inventario con las tabletas. "
        "¿Nos pueden enviar una cotización para mejorar la cobertura? El almacén mide unos "
        "40 × 25 metros.",
        queue=REDES,
        type=PREGUNTA,
        category="Red/Wi-Fi",
        site=INITECH_POLANCO,
        priority=BAJA,
        service=ON_DEMAND,
    ),
    Story(
        "initech-facturacion-por-demanda",
        MARIANA,
        (18, "13:10"),
        "¿Cómo se factura el soporte sin contrato?",
        "Hola. Nuestro contrato de mesa de ayuda terminó hace un par de meses y estamos "
        "evaluando renovarlo. Mientras tanto, ¿cómo nos facturan los tickets que abrimos? ¿Se "
        "cobra la hora completa o por fracción?",
        type=PREGUNTA,
        priority=BAJA,
        service=ON_DEMAND,
        steps=(
            Take(PATRICIA, 1),
            Reply(
                PATRICIA,
                1,
                "Mariana, mientras no haya contrato vigente los tickets se atienden como soporte "
                "por demanda: se facturan fracciones de 15 minutos a la tarifa por hora vigente, "
                "y antes de cualquier visita en sitio le confirmamos el estimado. Con gusto le "
                "enviamos la propuesta de renovación del contrato.",
            ),
            Reply(MARIANA, 5, "Gracias, Patricia. Sí, envíenos la propuesta."),
            Note(
                PATRICIA,
                0.5,
                "Propuesta de renovación de la Mesa de ayuda 8x5 enviada a Mariana López.",
            ),
            Status(PATRICIA, 0.1, RESOLVED),
            Close(PATRICIA, 72),
        ),
    ),
    Story(
        "initech-rayas-remisiones",
        ROBERTO,
        (6, "11:40"),
        "La impresora de remisiones imprime con rayas",
        "Buen día. La impresora del almacén donde imprimimos las remisiones (Brother "
        "HL-L5100DN) imprime con dos rayas grises verticales en todas las hojas desde hace una "
        "semana. Ya cambiamos el tóner por uno nuevo y sigue igual. Adjunto la foto de una hoja "
        "de prueba.",
        channel=EMAIL,
        category="Hardware/Impresoras",
        site=INITECH_POLANCO,
        service=ON_DEMAND,
        files=("muestra-impresion.png",),
        steps=(
            Take(ANDRES, 2),
            Status(ANDRES, 0.05, OPEN),
            Reply(
                ANDRES,
                0.3,
                "Roberto, si con el tóner nuevo las rayas salen siempre en la misma posición, lo "
                "más probable es la unidad de tambor. ¿Nos dice qué porcentaje de vida muestra "
                "el tambor en el menú Información del equipo > Vida útil de piezas?",
            ),
            Reply(ROBERTO, 20, "Dice Tambor: 3 %."),
            Note(
                ANDRES,
                0.5,
                "Tambor DR-820 al final de su vida útil. Se cotiza el repuesto original; la "
                "compra la aprueba Compras (Mariana).",
            ),
            Reply(
                ANDRES,
                0.2,
                "Gracias, Roberto. El tambor está al final de su vida útil y hay que cambiarlo; "
                "le enviamos a Compras la cotización del repuesto original.",
            ),
        ),
    ),
)
