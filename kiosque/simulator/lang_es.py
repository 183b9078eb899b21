"""Spanish wording for the simulated press (accents, ñ and inverted marks included)."""

from __future__ import annotations

from kiosque.simulator.lexicon import Lexicon

ES = Lexicon(
    lang="es",
    headlines={
        "politics": (
            "{topic}: {pa} defiende su proyecto ante el Parlamento",
            "En {place}, {pa} promete acelerar {topic}",
            "La oposición exige un debate sobre {topic} y {pa} pide calma",
            "El Parlamento aprueba en primera lectura el texto sobre {topic}",
        ),
        "economy": (
            "{org} anuncia una inversión de {big} millones de dírhams en {place}",
            "{topic}: una subida del {pct} en un año preocupa a los hogares",
            "En {place}, {topic} impulsa el crecimiento regional",
            "{pa} presenta un plan para reactivar {topic}",
        ),
        "sport": (
            "{club_a} se impone por {sa}-{sb} ante {club_b}",
            "{topic}: empate a {sa}-{sb} entre {club_a} y {club_b}",
            "Victoria de {club_a} en {place} ante {count} espectadores",
            "{pa} renueva su compromiso con {club_a}",
        ),
        "culture": (
            "{topic}: se esperan {count} visitantes en {place}",
            "{topic} abre sus puertas en {place} con aires de renovación",
            "{pa}, premiado en la gala de clausura en {place}",
            "{topic}: un presupuesto de {big} millones para una edición ambiciosa",
        ),
        "world": (
            "{topic}: acuerdo de principio entre {country} y sus socios",
            "{pa}, recibido en {place} para tratar {topic}",
            "{topic}: {country} propone una hoja de ruta de {few} puntos",
            "Reunión en {place} sobre {topic}, sin avances de calado",
        ),
    },
    leads={
        "politics": (
            "El debate sobre {topic} se reanudó el {day} en {place}, donde {pa}, {ra}, "
            "detalló las líneas maestras de un texto muy esperado.",
            "Tras varias semanas de consultas, {pa} presentó el {day} una nueva versión "
            "del proyecto sobre {topic}.",
        ),
        "economy": (
            "Según {org}, {topic} creció un {pct} en los últimos doce meses, un ritmo que "
            "sorprende a los analistas.",
            "{org} confirmó el {day} un programa de {big} millones de dírhams para apoyar "
            "{topic} en la región de {place}.",
        ),
        "sport": (
            "Ante {count} espectadores reunidos el {day} en {place}, {club_a} venció a "
            "{club_b} por {sa} a {sb}.",
            "En un encuentro valedero para {topic}, {club_a} recibía a {club_b} el {day} por la "
            "noche en {place}.",
        ),
        "culture": (
            "{topic} se inauguró el {day} en {place} con una programación que apuesta "
            "por la juventud y la creación local.",
            "Más de {count} personas acudirán a {place} para {topic}, según la "
            "organización.",
        ),
        "world": (
            "Las delegaciones reunidas el {day} en {place} abordaron {topic} en un "
            "contexto de tensiones regionales.",
            "{pa}, {ra}, abogó el {day} por reforzar la cooperación con {country} sobre "
            "{topic}.",
        ),
    },
    facts={
        "politics": (
            "El texto prevé {count} contrataciones y una partida de {big} millones de "
            "dírhams.",
            "{pb}, figura de la oposición, denunció un método que considera precipitado.",
            "La votación final se espera antes del cierre del periodo de sesiones.",
            "Los sindicatos han convocado una reunión de concertación la próxima semana.",
            "Según una encuesta reciente, el {pct} de los consultados apoya la reforma.",
        ),
        "economy": (
            "La facturación del sector alcanza ya los {big} millones de dírhams.",
            "Cerca de {count} empleos directos se verían afectados en {place} y {place2}.",
            "{pb}, economista, cree que la tendencia continuará hasta el verano.",
            "Las importaciones retrocedieron un {pct} en el mismo periodo.",
            "Las pequeñas empresas reclaman un acceso más sencillo al crédito.",
        ),
        "sport": (
            "El primer gol llegó en el minuto {sa}, tras una jugada colectiva.",
            "{pb} fue elegido mejor jugador del partido.",
            "Con este resultado, {club_a} sube al puesto {sb} de la clasificación.",
            "El próximo partido se jugará en {place2} ante una afición entregada.",
            "La asistencia ha crecido un {pct} respecto a la temporada pasada.",
        ),
        "culture": (
            "El evento reúne a {few} artistas llegados de {place2} y del extranjero.",
            "El presupuesto de esta edición asciende a {big} millones de dírhams.",
            "{pb} firma la escenografía de la exposición principal.",
            "Se ofrecen talleres gratuitos a los colegios de la ciudad.",
            "La asistencia se disparó un {pct} respecto al año pasado.",
        ),
        "world": (
            "Los intercambios comerciales con {country} alcanzaron {big} millones de "
            "dólares.",
            "{pb}, {ra}, viajará a {place2} en los próximos días.",
            "Un comunicado conjunto menciona {few} proyectos de interés compartido.",
            "Los observadores señalan un aumento del {pct} de los flujos en un año.",
            "Está prevista una nueva reunión técnica antes de fin de mes.",
        ),
    },
    context=(
        "Para muchos observadores, la situación sigue siendo {adj} pese a los anuncios.",
        "El contexto se considera {adj}, y {noun} sigue en el centro del debate.",
        "Sobre el terreno, los vecinos de {place} hablan de {noun} a diario.",
        "La decisión llega tras un periodo {adj} para la región.",
        "Las asociaciones locales piden más transparencia sobre {noun}.",
        "En {place2}, {noun} despierta un interés creciente.",
        "Varios cargos electos abogan por un enfoque más {adj} y comprensible.",
        "El calendario sigue siendo {adj}, según fuentes cercanas al expediente.",
        "Los jóvenes titulados siguen el asunto muy de cerca.",
        "Una evaluación independiente se publicará en los próximos seis meses.",
        "El asunto podría volver a la mesa en otoño.",
        "Los expertos califican el balance de {adj}, pero piden prudencia.",
        "La prensa regional destaca un clima {adj2} en torno a {noun2}.",
        "No es la primera vez que {noun} irrumpe en el debate público.",
    ),
    adjectives=(
        "frágil", "estable", "difícil", "rápido", "modesto", "considerable",
        "notable", "delicado", "duradero", "favorable", "sólido", "tangible",
        "creíble", "inédito", "complejo", "prometedor", "incierto", "tenso",
    ),
    nouns=(
        "el empleo juvenil", "el poder adquisitivo", "la gestión del agua",
        "la movilidad urbana", "la calidad de los servicios públicos",
        "la vivienda social", "la formación profesional", "la seguridad vial",
        "el acceso a la sanidad", "la digitalización de la administración",
        "la protección del litoral", "el coste de la vida", "el futuro del puerto",
        "la vuelta al cole",
    ),
    quotes=(
        "Avanzamos paso a paso, pero avanzamos",
        "Hay que escuchar a todas las partes antes de decidir",
        "Las cifras hablan por sí solas",
        "Es un paso decisivo para {place}",
        "No cederemos en lo esencial",
        "Este resultado premia un trabajo de largo aliento",
        "Nadie puede ignorar la urgencia de la situación",
        "Se nos juzgará por los hechos, no por las promesas",
        "La confianza se construye con el tiempo",
        "Queda mucho por hacer, y lo sabemos",
    ),
    quote_frames=(
        "«{quote}», declaró {pa}, {ra}.",
        "«{quote}», insistió {pa} en una rueda de prensa.",
        "Preguntado por la prensa, {pa} resumió: «{quote}».",
        "«{quote}», opina por su parte {pb}.",
    ),
    updates=(
        "Actualización: {org} precisó por la noche que {count} expedientes siguen en "
        "estudio.",
        "Actualización: según un nuevo balance, la cifra es del {pct}.",
        "Actualización: {pb} reaccionó con un comunicado difundido al final del día.",
    ),
    agency_added=(
        "Nuestra redacción volverá sobre este asunto en su próxima edición.",
        "Consultado por este diario, {pb} declinó hacer comentarios.",
        "Los detalles del anuncio se conocerán en los próximos días.",
    ),
    dateline="{place} ({agency}) – ",
    weekdays=("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    comments=(
        "¡Por fin una buena noticia para {place}!",
        "Sigo siendo escéptico, ya nos prometieron lo mismo.",
        "Gracias por este artículo tan claro.",
        "¿Y los barrios periféricos, cuándo?",
        "Enhorabuena a todos los equipos, es merecido.",
        "Habría que pensar sobre todo en los jóvenes.",
        "Interesante, pero falta la opinión de los vecinos.",
        "Queremos hechos, no discursos.",
        "Muy buen análisis, como siempre.",
        "¿Quién va a pagar al final?",
    ),
    commenters=(
        "Paco_77", "María J.", "Lector asiduo", "Nuria", "Andrés", "Yasmina",
        "Ciudadano", "Begoña", "Íñigo", "Rocío", "Toni", "Aitana",
    ),
    section_labels={
        "politics": "Política", "economy": "Economía", "sport": "Deportes",
        "culture": "Cultura", "world": "Internacional",
    },
    section_slugs={
        "politics": "politica", "economy": "economia", "sport": "deportes",
        "culture": "cultura", "world": "internacional",
    },
    ui={
        "home": "Portada", "cookie": "Este sitio utiliza cookies para medir la audiencia. "
        "Si continúa navegando, acepta su uso.",
        "accept": "Aceptar", "ad": "Publicidad", "related": "Te puede interesar",
        "comments": "Comentarios", "by": "Por", "published": "Publicado el",
        "rights": "Todos los derechos reservados", "latest": "Última hora",
        "contact": "Contacto", "legal": "Aviso legal", "newsletter":
        "Reciba nuestro boletín cada mañana",
        "tagline": "Noticias de las dos orillas",
    },
    thousands_sep=".",
    decimal_sep=",",
    pct_suffix="\u00a0%",
)
