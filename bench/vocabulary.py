"""Spanish help-desk text for generated tickets: subjects and messages built from the
words IT support really uses, with a long tail (codes, models, serials) so the search
index has realistic selectivity."""

from __future__ import annotations

import random

DEVICES = [
    "impresora",
    "portátil",
    "computador",
    "monitor",
    "teclado",
    "mouse",
    "escáner",
    "servidor",
    "router",
    "switch",
    "punto de acceso",
    "teléfono IP",
    "celular",
    "tableta",
    "diadema",
    "proyector",
    "lector de códigos",
    "UPS",
    "disco duro",
    "memoria USB",
    "cámara",
    "NAS",
]
SYSTEMS = [
    "correo",
    "VPN",
    "ERP",
    "Outlook",
    "Teams",
    "Excel",
    "SAP",
    "nómina",
    "facturación electrónica",
    "antivirus",
    "carpeta compartida",
    "directorio activo",
    "Wi-Fi",
    "Internet",
    "intranet",
    "sistema contable",
    "CRM",
    "base de datos",
    "copia de seguridad",
    "firewall",
    "Office",
    "OneDrive",
    "SharePoint",
    "navegador",
    "certificado digital",
    "firma electrónica",
]
SYMPTOMS = [
    "no enciende",
    "no imprime",
    "está muy lento",
    "se reinicia solo",
    "no conecta",
    "muestra pantalla azul",
    "no deja iniciar sesión",
    "pide la contraseña otra vez",
    "se desconecta cada rato",
    "hace un ruido extraño",
    "no reconoce el dispositivo",
    "marca error de licencia",
    "no sincroniza",
    "se congela",
    "no abre",
    "no envía",
    "no recibe",
    "tiene la luz roja intermitente",
    "imprime manchado",
    "perdió la configuración",
    "quedó bloqueado",
    "no carga los archivos",
    "da tiempo de espera agotado",
]
REQUESTS = [
    "crear usuario",
    "instalar",
    "actualizar",
    "configurar",
    "dar acceso a",
    "quitar acceso a",
    "cambiar contraseña de",
    "recuperar archivos de",
    "cotizar",
    "reemplazar",
    "trasladar",
    "revisar",
    "respaldar",
    "renovar licencia de",
    "habilitar",
    "desactivar cuenta de",
]
PLACES = [
    "recepción",
    "contabilidad",
    "bodega",
    "gerencia",
    "compras",
    "ventas",
    "tesorería",
    "sala de juntas",
    "recursos humanos",
    "almacén",
    "planta",
    "mesa de servicio",
    "cartera",
    "auditoría",
    "jurídica",
    "mercadeo",
    "logística",
    "el piso 2",
    "el piso 3",
    "el piso 5",
]
BRANDS = ["HP", "Lenovo", "Dell", "Epson", "Brother", "Zebra", "Cisco", "Ubiquiti", "Samsung", "Kyocera"]
OPENINGS = [
    "Buenos días.",
    "Buenas tardes.",
    "Hola.",
    "Buen día, cordial saludo.",
    "Muy buenas.",
    "Estimados, buen día.",
    "Hola equipo de soporte.",
]
CLOSINGS = [
    "Quedo atento.",
    "Gracias.",
    "Muchas gracias por la ayuda.",
    "Agradezco su pronta respuesta.",
    "Saludos.",
    "Es urgente, por favor.",
    "Cualquier cosa me avisan.",
]
CUSTOMER_SENTENCES = [
    "Desde esta mañana el {device} de {place} {symptom}.",
    "El {system} {symptom} desde ayer en la tarde.",
    "Necesitamos {request} {system} para la persona nueva de {place}.",
    "Ya reiniciamos el {device} {brand} pero sigue igual.",
    "Sale el mensaje «{code}» cuando intentamos entrar al {system}.",
    "Afecta a unas {n} personas de {place}.",
    "El equipo es un {brand} con serial {serial}.",
    "Por favor {request} el {device} de {place}.",
    "Adjunto captura de pantalla del error en el {system}.",
    "La extensión es {ext} y estoy en {place}.",
    "Esto ya había pasado la semana pasada con el {device}.",
    "No podemos facturar porque el {system} {symptom}.",
]
AGENT_SENTENCES = [
    "Recibimos su solicitud y ya la estamos revisando.",
    "Nos conectamos de forma remota al {device} y el {system} ya responde.",
    "Se actualizó el controlador del {device} {brand} y se reinició el servicio.",
    "¿Nos confirma si el {system} ya funciona en {place}?",
    "Se escaló al proveedor con el caso {code}.",
    "Programamos visita técnica para mañana a las {hour}.",
    "Se restableció la contraseña; el usuario debe cambiarla al iniciar sesión.",
    "Se reemplazó el {device} por uno de respaldo mientras llega el repuesto.",
    "Quedó configurado el {system} y se probó con el usuario.",
    "Cerramos el ticket; si el problema vuelve, abra uno nuevo citando este número.",
    "El error {code} corresponde a una licencia vencida del {system}.",
]
NOTE_SENTENCES = [
    "Revisado el log del {system}: el error {code} aparece desde la actualización.",
    "Cliente con contrato vencido, facturar como soporte por demanda.",
    "El {device} {brand} tiene garantía hasta el próximo año; pedir RMA.",
    "Pendiente repuesto del proveedor, orden {code}.",
    "Ojo: el usuario tiene permisos de administrador local, quitarlos.",
    "Se hizo respaldo del disco antes de reinstalar.",
]
FILES = [
    "captura-error-{code}.png",
    "factura-{n}.pdf",
    "registro-{system}.log",
    "foto-{device}.jpg",
    "cotizacion-{brand}.xlsx",
    "diagnostico-{code}.txt",
    "grabacion-llamada-{n}.mp3",
]


def _slug(text: str) -> str:
    return "-".join(text.lower().split())


class TextMaker:
    """Fills sentence patterns from the word lists; a pool of filled sentences keeps
    generation fast while codes and serials add a long tail of rare words."""

    def __init__(self, rng: random.Random, pool_size: int = 4000) -> None:
        self.rng = rng
        self.customer = [self._fill(rng.choice(CUSTOMER_SENTENCES)) for _ in range(pool_size)]
        self.agent = [self._fill(rng.choice(AGENT_SENTENCES)) for _ in range(pool_size // 2)]
        self.notes = [self._fill(rng.choice(NOTE_SENTENCES)) for _ in range(pool_size // 4)]

    _shared: TextMaker | None = None

    @classmethod
    def shared(cls) -> TextMaker:
        if cls._shared is None:
            cls._shared = cls(random.Random(11), pool_size=500)
        return cls._shared

    def _fill(self, pattern: str) -> str:
        rng = self.rng
        return pattern.format(
            device=rng.choice(DEVICES), system=rng.choice(SYSTEMS), symptom=rng.choice(SYMPTOMS),
            request=rng.choice(REQUESTS), place=rng.choice(PLACES), brand=rng.choice(BRANDS),
            code=f"{rng.choice('ABCDEFGHKMNPRSTX')}{rng.randint(100, 99999)}",
            serial=f"{rng.choice(BRANDS)[:2].upper()}{rng.randint(100000, 999999)}",
            n=rng.randint(2, 60), ext=rng.randint(100, 999), hour=f"{rng.randint(7, 17)}:00",
        )  # fmt: skip

    def subject(self) -> str:
        rng = self.rng
        shape = rng.random()
        if shape < 0.4:
            text = f"{rng.choice(DEVICES)} {rng.choice(SYMPTOMS)}"
        elif shape < 0.7:
            text = f"{rng.choice(SYSTEMS)} {rng.choice(SYMPTOMS)}"
        elif shape < 0.9:
            text = f"{rng.choice(REQUESTS)} {rng.choice(SYSTEMS)} en {rng.choice(PLACES)}"
        else:  # the Covey prefix of the email manual
            text = f"{rng.randint(1, 3)}_{rng.choice(SYSTEMS)} {rng.choice(SYMPTOMS)}".upper()
        return text[0].upper() + text[1:]

    def customer_message(self) -> str:
        rng = self.rng
        body = " ".join(rng.choices(self.customer, k=rng.randint(2, 5)))
        return f"{rng.choice(OPENINGS)} {body} {rng.choice(CLOSINGS)}"

    def agent_message(self) -> str:
        return " ".join(self.rng.choices(self.agent, k=self.rng.randint(1, 3)))

    def note(self) -> str:
        return " ".join(self.rng.choices(self.notes, k=self.rng.randint(1, 2)))

    def filename(self) -> str:
        rng = self.rng
        return rng.choice(FILES).format(
            code=rng.randint(100, 99999), n=rng.randint(1000, 99999), system=_slug(rng.choice(SYSTEMS)),
            device=_slug(rng.choice(DEVICES)), brand=rng.choice(BRANDS).lower(),
        )  # fmt: skip
