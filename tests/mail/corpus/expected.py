"""What each message of the corpus must become.

Every `.eml` file next to this module has one entry here. Before a message is processed
the test opens ticket {n} for luis@acme.test in the Soporte queue (by email, with the
Message-ID <pedido-impresora-1@acme.test>, copying consultor@proveedor.test and
pedro@acme.test) and, with `setup="closed"`, closes it. In the raw message `{{N}}` is
replaced by that ticket's number, `{{MID}}` by a Message-ID we would have sent for it
and `{{FORGED_MID}}` by one that looks like ours but whose signature is wrong;
`{{REPLY_TO:address}}` by the signed reply address our notice to that address carried, and
`{{MID_TO:address}}` by the Message-ID of such a notice (both prove the sender).
"""

from __future__ import annotations

from dataclasses import dataclass

PROCESSED, IGNORED, QUARANTINED = "processed", "ignored", "quarantined"


@dataclass(frozen=True)
class Expect:
    status: str
    outcome: str  # how the outcome starts; {n} is the set-up ticket's number
    subject: str | None = None  # the stored subject of the ticket created or updated
    requester: str | None = None
    priority: str | None = None
    attachments: tuple[str, ...] | None = None  # the files on the stored message
    contains: str | None = None  # in the stored message's text
    excludes: str | None = None  # never in the stored message's text (quotes, signatures)
    html: bool = False  # the stored message keeps (sanitized) HTML
    content_id: str | None = None  # an attachment keeps this Content-ID (inline image)
    html_contains: str | None = None  # in the stored (sanitized) HTML
    queue: str | None = None  # the slug of the queue of the ticket created
    contact: tuple[str, str] | None = None  # the requester's (area, extension) afterwards
    answer: str | None = None  # the automatic answer queued ("" none); None: not checked
    setup: str = "open"  # or "closed"
    settings: tuple[tuple[str, object], ...] = ()
    xfail: str = ""  # the parser still gets this wrong: why
    sender_check: str | None = None  # how the stored message's sender was verified


CREATED = "created #"
UPDATED = "updated #{n}"
BOUNCE_RECORDED = "bounce recorded on #{n}"
AUTOMATIC = "ignored: automatic message"
LOOP = "ignored: sent by this help desk"
UNKNOWN_BOUNCE = "ignored: bounce of no ticket's email"
NO_SENDER = "quarantined: no sender address"
TICKET_SUBJECT = "La impresora no imprime"

CASES: dict[str, Expect] = {}

# --- Outlook and Exchange ----------------------------------------------------------------
CASES["outlook_new_html.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject="No abre el módulo de facturación",
    requester="ana@acme.test",
    priority="Alta",
    attachments=(),
    contains="el módulo de facturación no abre",
    excludes="MsoNormal",
    html=True,
    contact=("Contabilidad", "305"),
)
CASES["outlook_reply_de_enviado.eml"] = Expect(
    PROCESSED,
    UPDATED,
    subject=TICKET_SUBJECT,
    requester="luis@acme.test",
    attachments=(),
    contains="Pueden cerrar el caso",
    excludes="reiniciamos la cola",
)
CASES["outlook_mensaje_original.eml"] = Expect(
    PROCESSED,
    UPDATED,
    subject=TICKET_SUBJECT,
    contains="cambió el fusor",
    excludes="Desde esta mañana",
)
CASES["outlook_owa_underscore.eml"] = Expect(
    PROCESSED,
    UPDATED,
    contains="La raya gris sigue apareciendo",
    excludes="también en las copias",
)
CASES["outlook_winmail_tnef.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject="Informe del equipo PC-0214",
    requester="ana@acme.test",
    priority="Normal",
    attachments=("winmail.dat", "informe.txt"),
    contains="se reinicia solo",
)
CASES["outlook_winmail_broken.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject="Equipo PC-0311 lento",
    attachments=("winmail.dat",),
    contains="está muy lento",
)
CASES["exchange_auto_reply.eml"] = Expect(IGNORED, AUTOMATIC, answer="")
CASES["exchange_ndr_ours.eml"] = Expect(
    PROCESSED, BOUNCE_RECORDED, contains="pedro@acme.test", excludes="luis@acme.test", answer=""
)
CASES["outlook_calendar_request.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject="Reunión de revisión del servidor de archivos",
    requester="ana@acme.test",
    attachments=("invitacion.ics",),
    contains="cuota del servidor de archivos",
    html=True,
)

# --- Gmail (web and Android) ---------------------------------------------------------------
CASES["gmail_new_alternative.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject="Caída del servidor de correo",
    requester="carla@globex.test",
    priority="Urgente",
    attachments=(),
    contains="no llega el correo a nadie de la planta",
    html=True,
    html_contains="Desde las 7:30",
    contact=("Producción", "4410"),
)
CASES["gmail_reply_es.eml"] = Expect(
    PROCESSED, UPDATED, contains="sigue saliendo la hoja en blanco", excludes="actualizamos el controlador"
)
CASES["gmail_reply_es_wrapped.eml"] = Expect(
    PROCESSED,
    UPDATED,
    contains="el martes en la tarde",
    excludes="escribió",
)
CASES["gmail_reply_en.eml"] = Expect(
    PROCESSED, UPDATED, contains="It works now", excludes="replaced the toner"
)
CASES["android_gmail_reply.eml"] = Expect(
    PROCESSED, UPDATED, contains="Sigue sin imprimir en doble cara", excludes="escribió"
)
CASES["gmail_inline_image.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject="Error al generar la factura electrónica",
    requester="ana@acme.test",
    attachments=("image.png", "FE-10234.pdf"),
    content_id="ii_mhu3k9xq0",
    contains="Adjunto también la factura",
    html=True,
    html_contains='src="cid:ii_mhu3k9xq0"',
)
CASES["gmail_vacation.eml"] = Expect(IGNORED, AUTOMATIC, answer="")
CASES["gmail_dsn_ours.eml"] = Expect(
    PROCESSED, BOUNCE_RECORDED, contains="consultor@proveedor.test", answer=""
)
CASES["gmail_forward_inline.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject="Alerta: volumen degradado en NAS-01",
    requester="ana@acme.test",
    contains="Disk 3 has failed",
    html=True,
)
CASES["gmail_forward_inline_es.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject="Renovación de licencias antivirus",
    requester="carla@globex.test",
    contains="vencen el 30 de noviembre",
)

# --- Apple Mail, Thunderbird, mobile and webmail -----------------------------------------
CASES["apple_mail_reply.eml"] = Expect(
    PROCESSED, UPDATED, contains="está bien para la visita del técnico", excludes="a qué hora"
)
CASES["apple_mail_split_body.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject="Facturación – reporte mensual",
    requester="carla@globex.test",
    attachments=("reporte-octubre.pdf",),
    contains="los totales de la segunda página salen en cero",
)
CASES["apple_mail_new_sofia.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject="No sincroniza el calendario en el Mac",
    requester="sofia@acme.test",
    priority="Normal",
    contains="dejó de sincronizar",
)
CASES["thunderbird_reply_en.eml"] = Expect(
    PROCESSED, UPDATED, contains="The grey line is gone", excludes="new drum unit"
)
CASES["thunderbird_reply_es_signature.eml"] = Expect(
    PROCESSED,
    UPDATED,
    contains='también muestra "Atasco de papel"',
    excludes="Coordinador de servicios generales",
)
CASES["thunderbird_forward_attachment.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject="Correo sospechoso con factura vencida",
    requester="ana@acme.test",
    attachments=("Factura vencida.eml",),
    contains="no sé si es legítimo",
    excludes="Pague aqu",
)
CASES["thunderbird_8bit_covey.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject="Cambiar el fondo de pantalla de recepción",
    requester="luis@acme.test",
    priority="Baja",
    contains="el logo nuevo",
    contact=("Servicios generales", "214"),
)
CASES["iphone_reply.eml"] = Expect(
    PROCESSED, UPDATED, contains="Ya funciona, gracias", excludes="Enviado desde mi iPhone"
)
CASES["iphone_new_photo.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject="Pantalla azul en el PC de caja",
    requester="luis@acme.test",
    attachments=("IMG_0042.jpeg",),
    contains="muestra esta pantalla azul",
)
CASES["samsung_reply.eml"] = Expect(
    PROCESSED, UPDATED, contains="Mañana a primera hora", excludes="Enviado desde mi Galaxy"
)
CASES["outlook_ios_reply.eml"] = Expect(
    PROCESSED,
    UPDATED,
    contains="salió la página de prueba",
    excludes="Obtener Outlook para iOS",
)
CASES["roundcube_reply.eml"] = Expect(
    PROCESSED, UPDATED, contains="queda pendiente la visita", excludes="el tecnico ira"
)
CASES["yahoo_reply.eml"] = Expect(
    PROCESSED,
    UPDATED,
    contains="ya entré con la clave nueva",
    excludes="clave temporal",
)
# Nothing proves who sent it: no automatic answer (a forged sender would make us a relay).
CASES["hotmail_unknown_sender.eml"] = Expect(
    QUARANTINED,
    "quarantined: unknown sender pedro.particular@hotmail.test",
    answer="",
)
# The same, vouched for by the operator's mail server: told how to reach support.
CASES["hotmail_unknown_sender_authenticated.eml"] = Expect(
    QUARANTINED,
    "quarantined: unknown sender pedro.particular@hotmail.test",
    answer="mail_unknown_sender",
    settings=(("ATIENDE_MAIL_TRUSTED_AUTHSERV_IDS", ["mx.atiende.test"]),),
)
CASES["zimbra_html_only_script.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject="Acceso a la carpeta compartida de calidad",
    requester="carla@globex.test",
    contains="para el nuevo analista",
    excludes="document.cookie",
    html=True,
    html_contains="<b>",
)

# --- Charsets, encoded words and transfer encodings -------------------------------------
CASES["charset_iso8859_1_8bit.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject="Cambio de contraseña del correo",
    requester="carla@globex.test",
    contains="el año pasado la cambió Óscar",
)
CASES["charset_windows1252_declared.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject="Cotización – portátil para gerencia",
    contains="una “cotización” de un portátil para gerencia – presupuesto máximo 5.000.000 €",
)
CASES["charset_missing_utf8.eml"] = Expect(
    PROCESSED, CREATED, subject="Correo desde el escaner", contains="El escáner del segundo piso"
)
CASES["charset_missing_latin1.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject="Reporte nocturno de copias",
    contains="Próxima ejecución: mañana a las 2:00",
)
CASES["charset_wrong_ascii_latin1.eml"] = Expect(
    PROCESSED, CREATED, contains="La báscula de despachos marca el peso en cero"
)
CASES["charset_wrong_utf8_cp1252.eml"] = Expect(PROCESSED, CREATED, contains="en vez de la “ñ” y las tildes")
CASES["charset_unknown_name.eml"] = Expect(
    PROCESSED, CREATED, subject="Alerta de inventario", contains="ubicación: almacén, línea 3"
)
CASES["charset_unknown_latin.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject="Aviso del sistema de turnos",
    contains="desde esta mañana",
)
CASES["subject_encoded_words_mixed.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject="Actualización de Windows en la sala de reuniones – urgente",
    requester="jose.perez@acme.test",
    contains="hay una presentación a las 2",
)
CASES["subject_split_multibyte.eml"] = Expect(
    PROCESSED, CREATED, subject="Impresora sin tóner en recepción", contains="el cartucho es nuevo"
)
CASES["subject_unterminated_encoded_word.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject="Teléfono sin tono en gerencia",
    contains="no tiene tono",
)
CASES["subject_unknown_8bit_encoded_word.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject="Reunión con el proveedor de telefonía",
    contains="acompañarnos a la reunión",
)
CASES["header_8bit_utf8.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject="Reunión mañana: proyector sin señal",
    requester="jose.perez@acme.test",
    contains="no muestra señal",
)
CASES["header_8bit_latin1.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject="Cámara de portería sin imagen",
    contains="perdió la imagen",
)
CASES["body_qp_soft_breaks.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject="Rechazo de facturas electrónicas",
    contains="la señal de error aparece después de firmar, y sólo ocurre con las notas crédito",
)
CASES["body_base64_html_only.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject="Solicitud de usuario para nuevo empleado",
    contains="Por favor crear el usuario para Martín Ibáñez",
    excludes="font-family",
    html=True,
    html_contains="<table",
)
CASES["nested_mixed_related_alternative.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject="Diagrama de la red de la sede norte",
    attachments=("diagrama.png", "switch-config.txt"),
    content_id="diagrama@acme.test",
    contains="marqué el switch que se reinicia solo",
    excludes="hostname SW-NORTE-01",
    html=True,
    html_contains="cid:diagrama@acme.test",
)
CASES["filename_rfc2231.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject="Informe de conexión",
    attachments=("Informe de conexión – piso 3.pdf",),
    contains="prueba de velocidad",
)
# ISO-2022-JP with an illegal sequence, KOI8-R and Latin-1 parts, CJK file names in RFC 2231
# and encoded words, an RFC 2231 name in an unknown charset: nothing fails, odd bytes replaced.
CASES["charset_legacy_mixed.eml"] = Expect(
    PROCESSED,
    CREATED,
    requester="carla@globex.test",
    attachments=("報告書.pdf", "請求書.pdf", "图表.png", "障\ufffd害報告\ufffd.txt", "отчёт.txt", "año.txt"),
    contains="Сервер не отвечает с утра.",
)
CASES["filename_rfc2047.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject="Cotización de servidor",
    attachments=("Cotización servidor 2026.xlsx",),
    contains="Adjunto la cotizacion del servidor",
)

# --- Bounces, automatic mail, lists and loops ---------------------------------------------
CASES["postfix_dsn_ours.eml"] = Expect(
    PROCESSED, BOUNCE_RECORDED, contains="luis.antiguo@acme.test", answer=""
)
CASES["postfix_dsn_unknown.eml"] = Expect(IGNORED, UNKNOWN_BOUNCE, answer="")
CASES["qmail_plain_bounce_ours.eml"] = Expect(
    PROCESSED,
    BOUNCE_RECORDED,
    contains="carla.old@globex.test",
    answer="",
)
# A person writing through a list or a group address is a request; it is never answered
# automatically (the list would carry the answer to everyone).
CASES["list_precedence.eml"] = Expect(
    PROCESSED, CREATED, subject="[Usuarios] Mantenimiento programado del sábado", answer=""
)
CASES["group_google_request.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject="No funciona el proyector de la sala 2",
    requester="ana@acme.test",
    contains="no enciende desde el lunes",
    answer="",
)
# Outlook sets X-Auto-Response-Suppress on ordinary mail too: a request, never auto-answered.
CASES["outlook_auto_response_suppress.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject="Solicitud de licencia de Visio",
    requester="ana@acme.test",
    contains="licencia de Visio para el nuevo diseñador",
    answer="",
)
CASES["list_unsubscribe_newsletter_unknown.eml"] = Expect(
    QUARANTINED,
    "quarantined: unknown sender ofertas@tecnoshop.test",
    answer="",
)
CASES["x_autoreply.eml"] = Expect(IGNORED, AUTOMATIC, answer="")
CASES["from_our_address.eml"] = Expect(IGNORED, LOOP, answer="")
CASES["loop_header.eml"] = Expect(IGNORED, LOOP, answer="")

# --- Broken MIME and attachments ----------------------------------------------------------
CASES["broken_missing_final_boundary.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject="Captura del error de la VPN",
    attachments=("vpn.png",),
    contains="se desconecta cada diez minutos",
)
CASES["broken_boundary_undeclared.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject="Monitor parpadea",
    attachments=(),
    contains="La pantalla parpadea cada vez",
)
CASES["broken_garbage_headers.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject="Teclado inalambrico sin respuesta",
    requester="luis@acme.test",
    contains="no responde aunque le cambiamos las pilas",
)
CASES["broken_long_lines.eml"] = Expect(
    PROCESSED, CREATED, subject="Log del error del ERP", contains="estado=bloqueada FIN-DEL-LOG"
)
CASES["no_from.eml"] = Expect(QUARANTINED, NO_SENDER, answer="")
CASES["sender_name_only_no_address.eml"] = Expect(QUARANTINED, NO_SENDER, answer="")
# An encoded display name that decodes to an engineer's address and a line break: the
# sender is the address in angle brackets, an unknown one.
CASES["from_encoded_name_hides_engineer.eml"] = Expect(
    QUARANTINED, "quarantined: unknown sender intruso@example.net", answer=""
)
# Two addresses where one belongs: refused, not read as either of them.
CASES["from_two_angle_addresses.eml"] = Expect(QUARANTINED, NO_SENDER, answer="")
CASES["from_quoted_address_as_name.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject="Sin acceso a la carpeta de compras",
    requester="carla@globex.test",
    contains="carpeta compartida de compras",
)
# Message-ID, In-Reply-To and References hiding line breaks in encoded words: the message
# is still processed, without the broken ids.
CASES["message_id_encoded_line_break.eml"] = Expect(
    PROCESSED, CREATED, subject="Escaner sin red", requester="luis@acme.test", contains="perdió la conexión"
)
CASES["no_message_id.eml"] = Expect(
    PROCESSED, CREATED, subject="Licencia de Office vencida", contains="no deja guardar"
)
CASES["duplicate_message_id.eml"] = Expect(
    PROCESSED, CREATED, subject="Sin acceso al ERP", contains="usuario bloqueado"
)
CASES["empty_body_attachment_only.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject="Error al abrir el correo",
    attachments=("captura.png",),
    contains="Error al abrir el correo",
)
CASES["attachment_no_filename.eml"] = Expect(
    PROCESSED, CREATED, attachments=("adjunto.pdf",), contains="no le pone nombre"
)
CASES["attachment_refused_type.eml"] = Expect(
    PROCESSED, CREATED, attachments=("manual.pdf",), contains="el instalador que nos dio"
)
CASES["attachment_zero_length.eml"] = Expect(
    PROCESSED, CREATED, attachments=("errores.log", "pantalla.png"), contains="lo dejó vacío"
)
CASES["forwarded_rfc822_no_filename.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject="correo raro",
    attachments=("Factura vencida pague hoy mañana.eml",),
    contains="parece un fraude",
)
CASES["oversize.eml"] = Expect(
    QUARANTINED,
    "quarantined: message too large",
    answer="",
    settings=(("ATIENDE_MAIL_MAX_BYTES", 4096),),
)

# --- Threading, senders, queues and the Covey subject ---------------------------------------
CASES["thread_in_reply_to_subject_changed.eml"] = Expect(
    PROCESSED,
    UPDATED,
    subject=TICKET_SUBJECT,
    contains="el escáner no envía a la carpeta",
    excludes="quedó lista",
)
CASES["thread_tag_only.eml"] = Expect(
    PROCESSED, UPDATED, subject=TICKET_SUBJECT, contains="Seguimos sin poder imprimir"
)
CASES["thread_references_received.eml"] = Expect(
    PROCESSED, UPDATED, contains="la que está junto a recepción", excludes="no responde"
)
CASES["thread_forged_message_id.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject="consulta",
    requester="ana@acme.test",
    contains="estado de mi solicitud",
)
CASES["reply_closed_ticket.eml"] = Expect(
    PROCESSED,
    CREATED,
    setup="closed",
    subject=TICKET_SUBJECT,
    requester="luis@acme.test",
    contains="Volvió a fallar la impresora",
    excludes="Cerramos el caso",
    answer="",  # the sender proved nothing: opened and marked, but no automatic answer
    sender_check="unverified",
)
CASES["reply_closed_ticket_token.eml"] = Expect(
    PROCESSED,
    CREATED,
    setup="closed",
    subject=TICKET_SUBJECT,
    requester="luis@acme.test",
    contains="Volvió a fallar la impresora",
    answer="mail_closed_ticket",
    sender_check="token",
)
CASES["reply_from_cc_company.eml"] = Expect(
    PROCESSED,
    UPDATED,
    requester="luis@acme.test",
    contains="tampoco imprime desde mi equipo",
    excludes="solo en su equipo",
)
CASES["reply_from_cc_external.eml"] = Expect(
    PROCESSED,
    UPDATED,
    contains="el fusor que pidieron llega el lunes",
    excludes="pedimos el repuesto",
    answer="",
)
# A plain From: of an engineer proves nothing: it never speaks for them.
CASES["reply_from_agent.eml"] = Expect(
    QUARANTINED, "quarantined: agente@atiende.test is an engineer's address, but nothing proves", answer=""
)
# Replying to our notice's signed address proves it.
CASES["reply_from_agent_token.eml"] = Expect(
    PROCESSED,
    UPDATED,
    contains="mañana a las 9 pasamos a cambiar el fusor",
    excludes="Cuándo vienen",
    sender_check="token",
)
# So does the operator's mail server (DMARC pass for the From domain, from a trusted id).
CASES["reply_from_agent_authenticated.eml"] = Expect(
    PROCESSED,
    UPDATED,
    contains="mañana a las 9 pasamos a cambiar el fusor",
    sender_check="mta",
    settings=(("ATIENDE_MAIL_TRUSTED_AUTHSERV_IDS", ["mx.atiende.test"]),),
)
# The same header from a server we do not trust is ignored.
CASES["reply_from_agent_untrusted_results.eml"] = Expect(
    QUARANTINED, "quarantined: agente@atiende.test is an engineer's address, but nothing proves", answer=""
)
# A display name that decodes to the engineer's address and a line break is only a name.
CASES["forged_agent_display_name.eml"] = Expect(
    QUARANTINED, "quarantined: unknown sender attacker@example.net", answer=""
)
# A contact's reply that proves nothing is kept, but held for an engineer.
CASES["reply_from_contact_unverified.eml"] = Expect(
    PROCESSED, UPDATED, requester="luis@acme.test", contains="Sigue sin imprimir", sender_check="held"
)
CASES["reply_from_contact_message_id_token.eml"] = Expect(
    PROCESSED, UPDATED, requester="luis@acme.test", contains="Sigue sin imprimir", sender_check="token"
)
# Luis's token does not let someone else write as Luis.
CASES["reply_with_someone_elses_token.eml"] = Expect(
    PROCESSED, UPDATED, contains="Sigue sin imprimir", sender_check="held"
)
CASES["agent_without_ticket.eml"] = Expect(
    QUARANTINED, "quarantined: otro@atiende.test is an engineer", answer=""
)
CASES["unauthorized_tag_opens_own.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject=TICKET_SUBJECT,
    requester="carla@globex.test",
    contains="nos pasa con la impresora de la planta",
)
CASES["new_sender_company_domain.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject="Primer ingreso: no tengo clave del correo",
    requester="martin.ibanez@globex.test",
    contains="no me llegó la clave",
    contact=("Calidad", "4502"),
)
CASES["unknown_sender_catch_all.eml"] = Expect(
    PROCESSED,
    CREATED,
    subject="Soporte para el punto de venta",
    requester="tienda@laesquina.test",
    contains="El datáfono no conecta",
    answer="",
    settings=(
        ("ATIENDE_MAIL_UNKNOWN_SENDERS", "catch-all"),
        ("ATIENDE_MAIL_CATCH_ALL_COMPANY", "Globex Ltda."),
    ),
)
CASES["to_redes_queue.eml"] = Expect(
    PROCESSED, CREATED, subject="Sin VPN en la planta", queue="redes", contains="túnel VPN"
)
CASES["covey_1_underscore.eml"] = Expect(
    PROCESSED, CREATED, subject="Servidor de archivos caído", priority="Urgente"
)
CASES["covey_2_dash.eml"] = Expect(
    PROCESSED, CREATED, subject="Cambio de clave del wifi de invitados", priority="Alta"
)
CASES["covey_re_3.eml"] = Expect(
    PROCESSED, CREATED, subject="Actualizar la firma corporativa", priority="Baja"
)
CASES["covey_not_a_level.eml"] = Expect(
    PROCESSED, CREATED, subject="4_Inventario de equipos", priority="Normal"
)
