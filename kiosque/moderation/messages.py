"""What a reader is told after reporting, in the four interface languages.

Kept beside the rules (not in the templates) because the JSON API and the HTML form
answer with the same sentences.
"""

from __future__ import annotations

REPORT_MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "counted": "Thank you. The image will be blocked once several readers "
        "have reported it.",
        "blocked": "Thank you. The image is now blocked.",
        "already": "You have already reported this image. Thank you.",
        "rate_limited": "You have sent many reports in a short time. "
        "Please try again later.",
        "forbidden": "This report could not be accepted.",
        "unknown": "This image no longer exists.",
    },
    "fr": {
        "counted": "Merci. L'image sera bloquée lorsque plusieurs lecteurs "
        "l'auront signalée.",
        "blocked": "Merci. L'image est désormais bloquée.",
        "already": "Vous avez déjà signalé cette image. Merci.",
        "rate_limited": "Vous avez envoyé beaucoup de signalements en peu de temps. "
        "Réessayez plus tard.",
        "forbidden": "Ce signalement n'a pas pu être accepté.",
        "unknown": "Cette image n'existe plus.",
    },
    "es": {
        "counted": "Gracias. La imagen quedará bloqueada cuando varios lectores "
        "la hayan denunciado.",
        "blocked": "Gracias. La imagen ya está bloqueada.",
        "already": "Ya ha denunciado esta imagen. Gracias.",
        "rate_limited": "Ha enviado muchas denuncias en poco tiempo. "
        "Inténtelo de nuevo más tarde.",
        "forbidden": "No se ha podido aceptar esta denuncia.",
        "unknown": "Esta imagen ya no existe.",
    },
    "ar": {
        "counted": "شكرًا لك. ستُحجب الصورة عندما يبلغ عنها عدد من القراء.",
        "blocked": "شكرًا لك. الصورة محجوبة الآن.",
        "already": "لقد أبلغت عن هذه الصورة من قبل. شكرًا لك.",
        "rate_limited": "أرسلت بلاغات كثيرة في وقت قصير. يرجى المحاولة لاحقًا.",
        "forbidden": "تعذّر قبول هذا البلاغ.",
        "unknown": "هذه الصورة لم تعد موجودة.",
    },
}

LANGS: tuple[str, ...] = tuple(REPORT_MESSAGES)


def report_message(status: str, lang: str, default_lang: str = "en") -> str:
    """The sentence for an outcome; unknown languages fall back, then English."""
    table = REPORT_MESSAGES.get(lang) or REPORT_MESSAGES.get(default_lang) or REPORT_MESSAGES["en"]
    return table.get(status) or REPORT_MESSAGES["en"].get(status, status)
