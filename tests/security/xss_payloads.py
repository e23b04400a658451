"""Cross-site scripting payloads: what a hostile contact, a compromised mailbox or a
careless paste could put in any text the product shows. Every one, if it ran, would call
`alert`, `confirm`, `prompt` or `console.log` — which the browser test hooks."""

from __future__ import annotations

PAYLOADS: list[str] = [
    # script tags
    "<script>alert(1)</script>",
    "<SCRIPT>alert(2)</SCRIPT>",
    "<script src=data:text/javascript,alert(3)></script>",
    "<scr<script>ipt>alert(4)</scr</script>ipt>",
    "</textarea><script>alert(5)</script>",
    "</title><script>alert(6)</script>",
    '"><script>alert(7)</script>',
    "'><script>alert(8)</script>",
    "</script><script>alert(9)</script>",
    "<script>/*<!--*/console.log(10)</script>",
    # event handlers
    "<img src=x onerror=alert(11)>",
    '<img src="x" onerror="alert(12)">',
    "<body onload=alert(13)>",
    "<input autofocus onfocus=alert(14)>",
    "<details open ontoggle=alert(15)>",
    "<video><source onerror=alert(16)></video>",
    '" onmouseover="alert(17)" x="',
    "' autofocus onfocus='alert(18)' x='",
    "<marquee onstart=alert(19)>",
    '<div style="width:100%;height:100%" onpointerover=alert(20)>x</div>',
    # javascript: and data: URLs
    '<a href="javascript:alert(21)">haga clic</a>',
    '<a href="JaVaScRiPt:alert(22)">x</a>',
    '<a href="&#106;avascript:alert(23)">x</a>',
    '<a href=" javascript:alert(24)">x</a>',
    "javascript:alert(25)",
    '<iframe src="javascript:alert(26)"></iframe>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgyNyk8L3NjcmlwdD4=">x</a>',
    '<form action="javascript:alert(28)"><button>enviar</button></form>',
    # SVG and MathML
    "<svg onload=alert(29)>",
    "<svg><script>alert(30)</script></svg>",
    '<svg><a xlink:href="javascript:alert(31)"><text y="20">x</text></a></svg>',
    "<svg><animate onbegin=alert(32) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(33)>",
    # CSS
    '<div style="background:url(javascript:alert(34))">x</div>',
    '<div style="width: expression(alert(35))">x</div>',
    "<style>@import 'javascript:alert(36)';</style>",
    '<link rel="stylesheet" href="javascript:alert(37)">',
    # broken and nested markup
    "<img src=x onerror=alert(38)//",
    "<<script>alert(39);//<</script>",
    '<img """><script>alert(40)</script>">',
    "<iframe srcdoc='<script>parent.alert(41)</script>'></iframe>",
    '<object data="javascript:alert(42)"></object>',
    '<embed src="javascript:alert(43)">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(44)">',
    "<base href=javascript:alert(45)//>",
    # mutation XSS (sanitizer and parser disagree)
    '<noscript><p title="</noscript><img src=x onerror=alert(46)>">',
    '<svg></p><style><a id="</style><img src=1 onerror=alert(47)>">',
    '<math><mi><mglyph><svg><mtext><textarea><path id="</textarea><img onerror=alert(48) src=1>">',
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(49)>",
    '<xmp><p title="</xmp><img src=x onerror=alert(50)>">',
    # template injection
    "{{ 7|add:'<script>alert(51)</script>' }}",
    "{% now 'Y' %}<script>alert(52)</script>{% endnow %}",
    "{{ request.META }}{% debug %}",
    "${alert(54)}",
    "{{constructor.constructor('alert(55)')()}}",
    # unicode and encoding tricks
    "\uff1cscript\uff1ealert(56)\uff1c/script\uff1e",
    "<scr\u0000ipt>alert(57)</scr\u0000ipt>",
    "\u202e>tpircs/<)85(trela>tpircs<",
    "%3Cscript%3Ealert(59)%3C/script%3E",
    "&lt;script&gt;alert(60)&lt;/script&gt;",
    "\\u003cscript\\u003ealert(61)\\u003c/script\\u003e",
    "<img src=x onerror=\u0061lert(62)>",
    # htmx attributes: markup that would make htmx fetch and run
    '<div hx-get="/portal/" hx-trigger="load" hx-on::after-request="alert(63)">x</div>',
    '<a hx-on:click="alert(64)">x</a>',
]


def short(payload: str, limit: int = 120) -> str:
    """A payload cut to fit a short field (names, tags), still hostile."""
    return payload[:limit]
