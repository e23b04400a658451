"""The files attached to demo tickets: small but real (a log, a ping output, spreadsheets
as CSV, and screenshots drawn as valid PNG images)."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable

Pixel = tuple[int, int, int]


def png(width: int, height: int, pixel: Callable[[int, int], Pixel]) -> bytes:
    """A truecolour PNG image, each pixel's colour given by `pixel(x, y)`."""
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def _wifi_dialog(x: int, y: int) -> Pixel:
    """A network dialog: a blue title bar, a red warning sign and one signal bar of four."""
    if y < 14:
        return (0, 103, 192)
    if 20 <= x < 44 and 24 <= y < 48 and abs(x - 32) <= (y - 24) // 2:
        return (196, 43, 28)
    for bar in range(4):
        left = 60 + bar * 14
        if left <= x < left + 9 and 60 - (bar + 1) * 9 <= y < 60:
            return (16, 124, 16) if bar == 0 else (200, 200, 200)
    if 20 <= x < 140 and y in {72, 80, 88}:
        return (90, 90, 90)
    return (243, 243, 243)


def _streaked_page(x: int, y: int) -> Pixel:
    """A printed page with two grey vertical streaks across the text lines."""
    if x % 61 in {17, 18, 19} or x % 97 in {40, 41}:
        return (120, 120, 120)
    if y % 12 in {0, 1} and 12 <= x < 148 - (y * 37) % 70 and 10 <= y < 110:
        return (30, 30, 30)
    return (255, 255, 255)


PING_OUTPUT = """\
C:\\Users\\arestrepo>ping 8.8.8.8

Haciendo ping a 8.8.8.8 con 32 bytes de datos:
Tiempo de espera agotado para esta solicitud.
Tiempo de espera agotado para esta solicitud.
Tiempo de espera agotado para esta solicitud.
Tiempo de espera agotado para esta solicitud.

Estadísticas de ping para 8.8.8.8:
    Paquetes: enviados = 4, recibidos = 0, perdidos = 4
    (100% perdidos),

C:\\Users\\arestrepo>tracert -d 8.8.8.8

Traza a 8.8.8.8 sobre caminos de 30 saltos como máximo

  1    <1 ms    <1 ms    <1 ms  192.168.10.1
  2     *        *        *     Tiempo de espera agotado para esta solicitud.
  3     *        *        *     Tiempo de espera agotado para esta solicitud.

Traza completa.
"""

CONTROLLER_LOG = """\
08:02:11 AP-P3-SALAJUNTAS radio1: canal 6 (2.4 GHz), potencia 20 dBm, 14 clientes
08:41:37 AP-P3-SALAJUNTAS radio1: interferencia alta en canal 6 (utilización 87 %)
08:41:52 AP-P3-SALAJUNTAS cliente 3c:22:fb:9a:41:07 desasociado (motivo 4: inactividad)
08:42:05 AP-P3-SALAJUNTAS cliente 3c:22:fb:9a:41:07 asociado, RSSI -78 dBm
09:15:20 AP-P3-SALAJUNTAS cliente a4:83:e7:10:5c:2d desasociado (motivo 8: salió del BSS)
09:15:44 AP-P3-SALAJUNTAS radio1: interferencia alta en canal 6 (utilización 91 %)
09:16:02 AP-P3-RECEPCION radio1: canal 6 (2.4 GHz), vecino detectado en el mismo canal
10:03:18 AP-P3-SALAJUNTAS cliente 3c:22:fb:9a:41:07 desasociado (motivo 4: inactividad)
10:03:30 AP-P3-SALAJUNTAS radio2: canal 36 (5 GHz), 2 clientes, utilización 9 %
"""

RESTORE_LOG = """\
Trabajo: Restauración puntual - \\\\GLX-FS01\\Nomina
Punto de restauración: copia diaria de las 23:00 (incremental)
10:12:04 Montando el punto de restauración... correcto
10:12:31 Buscando "Liquidación prima semestral.xlsx" en \\Nomina\\Primas
10:12:33 Encontrado: 1 archivo, 284 KB, última modificación 17:46
10:12:40 Restaurando a \\Nomina\\Primas\\Restaurado\\Liquidación prima semestral.xlsx
10:12:42 Restauración completada: 1 archivo, 0 errores, 0 advertencias
"""

OVERTIME_CSV = """\
Código;Empleado;Área;Horas extra diurnas;Horas extra nocturnas;Dominicales
1023;Paula Andrea Giraldo;Producción;6;2;8
1057;Juan Camilo Arango;Producción;4;0;0
1088;Natalia Muñoz Ríos;Despachos;9;3;8
1102;Santiago Vélez Mejía;Mantenimiento;2;6;0
1130;Luisa Fernanda Cano;Calidad;0;0;4
"""

DISK_USAGE_CSV = """\
Carpeta,Tamaño (GB),Archivos,Propietario
\\\\GLX-FS02\\Produccion\\Fichas tecnicas,212.4,18430,Producción
\\\\GLX-FS02\\Produccion\\Videos capacitacion,486.9,312,Producción
\\\\GLX-FS02\\Calidad\\Registros,97.1,40211,Calidad
\\\\GLX-FS02\\Mantenimiento\\Planos,143.8,2290,Mantenimiento
\\\\GLX-FS02\\Publico,38.2,9120,Todos
Libre,21.6,,
"""

FILES: dict[str, bytes] = {
    "ping-internet.txt": PING_OUTPUT.encode(),
    "captura-wifi-sala-juntas.png": png(160, 100, _wifi_dialog),
    "controlador-wifi-piso3.log": CONTROLLER_LOG.encode(),
    "restauracion-nomina.log": RESTORE_LOG.encode(),
    "horas-extra.csv": OVERTIME_CSV.encode(),
    "uso-disco-glx-fs02.csv": DISK_USAGE_CSV.encode(),
    "muestra-impresion.png": png(160, 120, _streaked_page),
}
