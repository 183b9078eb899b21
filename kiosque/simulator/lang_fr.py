"""French wording for the simulated press (accents and typographic quotes included)."""

from __future__ import annotations

from kiosque.simulator.lexicon import Lexicon

FR = Lexicon(
    lang="fr",
    headlines={
        "politics": (
            "{topic} : {pa} défend son texte devant les députés",
            "À {place}, {pa} promet d'accélérer {topic}",
            "{topic} : l'opposition réclame un débat, {pa} temporise",
            "Le Parlement adopte en première lecture le texte sur {topic}",
        ),
        "economy": (
            "{org} annonce {big} millions de dirhams d'investissement à {place}",
            "{topic} : une hausse de {pct} en un an inquiète les ménages",
            "À {place}, {topic} tire la croissance régionale",
            "{pa} présente un plan pour relancer {topic}",
        ),
        "sport": (
            "{club_a} s'impose {sa}-{sb} contre {club_b}",
            "{topic} : {club_a} et {club_b} se neutralisent {sa}-{sb}",
            "Victoire de {club_a} à {place} devant {count} spectateurs",
            "{pa} prolonge l'aventure avec {club_a}",
        ),
        "culture": (
            "{topic} : {count} visiteurs attendus à {place}",
            "À {place}, {topic} ouvre ses portes sous le signe du renouveau",
            "{pa} primé(e) lors de la soirée de clôture à {place}",
            "{topic} : un budget de {big} millions pour une édition ambitieuse",
        ),
        "world": (
            "{topic} : accord de principe entre {country} et ses partenaires",
            "{pa} reçu(e) à {place} pour évoquer {topic}",
            "{topic} : {country} propose une feuille de route en {few} points",
            "Rencontre à {place} sur {topic}, sans percée majeure",
        ),
    },
    leads={
        "politics": (
            "Le débat sur {topic} a repris {day} à {place}, où {pa}, {ra}, a détaillé les "
            "grandes lignes d'un texte très attendu.",
            "Après plusieurs semaines de consultations, {pa} a présenté {day} une nouvelle "
            "version du projet portant sur {topic}.",
        ),
        "economy": (
            "Selon {org}, {topic} a progressé de {pct} sur les douze derniers mois, un "
            "rythme qui surprend les analystes.",
            "{org} a confirmé {day} un programme de {big} millions de dirhams destiné à "
            "soutenir {topic} dans la région de {place}.",
        ),
        "sport": (
            "Devant {count} spectateurs réunis {day} à {place}, {club_a} a battu {club_b} "
            "sur le score de {sa} à {sb}.",
            "Dans cette rencontre comptant pour {topic}, {club_a} recevait {club_b} {day} soir à "
            "{place}.",
        ),
        "culture": (
            "{topic} s'est ouvert {day} à {place} avec une programmation qui mise sur la "
            "jeunesse et la création locale.",
            "Plus de {count} personnes sont attendues à {place} pour {topic}, selon les "
            "organisateurs.",
        ),
        "world": (
            "Les délégations réunies {day} à {place} ont évoqué {topic}, sur fond de "
            "tensions régionales persistantes.",
            "{pa}, {ra}, a plaidé {day} pour une coopération renforcée avec {country} "
            "sur {topic}.",
        ),
    },
    facts={
        "politics": (
            "Le texte prévoit notamment {count} recrutements et une enveloppe de {big} "
            "millions de dirhams.",
            "{pb}, figure de l'opposition, a dénoncé une méthode jugée précipitée.",
            "Le vote final est attendu avant la fin de la session parlementaire.",
            "Les syndicats ont annoncé une réunion de concertation la semaine prochaine.",
            "Selon un sondage récent, {pct} des personnes interrogées soutiennent la réforme.",
        ),
        "economy": (
            "Le chiffre d'affaires du secteur atteint désormais {big} millions de dirhams.",
            "Près de {count} emplois directs seraient concernés à {place} et à {place2}.",
            "{pb}, économiste, estime que la tendance devrait se poursuivre jusqu'à l'été.",
            "Les importations ont reculé de {pct} sur la même période.",
            "Les petites entreprises réclament un accès plus simple au crédit bancaire.",
        ),
        "sport": (
            "Le premier but est intervenu dès la {sa}e minute, sur une action collective.",
            "{pb} a été désigné(e) meilleur joueur de la rencontre.",
            "Avec ce résultat, {club_a} remonte à la {sb}e place du classement.",
            "Le prochain match se jouera à {place2} devant un public acquis à sa cause.",
            "L'affluence a progressé de {pct} par rapport à la saison dernière.",
        ),
        "culture": (
            "La manifestation réunit {few} artistes venus de {place2} et de l'étranger.",
            "Le budget de cette édition s'élève à {big} millions de dirhams.",
            "{pb} signe la scénographie de l'exposition principale.",
            "Des ateliers gratuits sont proposés aux écoles de la ville.",
            "La fréquentation a bondi de {pct} par rapport à l'an dernier.",
        ),
        "world": (
            "Les échanges commerciaux avec {country} ont atteint {big} millions de dollars.",
            "{pb}, {ra}, doit se rendre à {place2} dans les prochains jours.",
            "Un communiqué commun évoque {few} projets d'intérêt partagé.",
            "Les observateurs notent une hausse de {pct} des flux sur un an.",
            "Une nouvelle réunion technique est prévue avant la fin du mois.",
        ),
    },
    context=(
        "Pour de nombreux observateurs, la situation reste {adj} malgré les annonces.",
        "Le contexte est jugé {adj}, et {noun} demeure au cœur des discussions.",
        "Sur le terrain, les habitants de {place} évoquent {noun} au quotidien.",
        "Cette décision intervient après une période {adj} pour la région.",
        "Les associations locales demandent davantage de transparence sur {noun}.",
        "À {place2}, {noun} suscite un intérêt croissant.",
        "Plusieurs élus plaident pour une approche plus {adj} et plus lisible.",
        "Le calendrier reste toutefois {adj}, selon des sources proches du dossier.",
        "Les jeunes diplômés suivent ce dossier de près.",
        "Une évaluation indépendante sera publiée dans les six prochains mois.",
        "Le sujet pourrait revenir sur la table dès l'automne.",
        "Des experts jugent le bilan {adj}, mais appellent à la prudence.",
        "La presse régionale souligne un climat {adj2} sur {noun2}.",
        "Ce n'est pas la première fois que {noun} s'invite dans le débat public.",
    ),
    adjectives=(
        "fragile", "stable", "difficile", "rapide", "modeste", "considérable",
        "remarquable", "sensible", "durable", "favorable", "solide", "tangible",
        "crédible", "inédite", "complexe", "délicate", "prometteuse", "incertaine",
    ),
    nouns=(
        "l'emploi des jeunes", "le pouvoir d'achat", "la gestion de l'eau",
        "la mobilité urbaine", "la qualité des services publics", "le logement social",
        "la formation professionnelle", "la sécurité routière", "l'accès aux soins",
        "la numérisation de l'administration", "la préservation du littoral",
        "le coût de la vie", "l'avenir du port", "la rentrée scolaire",
    ),
    quotes=(
        "Nous avançons pas à pas, mais nous avançons",
        "Il faut écouter toutes les parties avant de trancher",
        "Les chiffres parlent d'eux-mêmes",
        "C'est une étape décisive pour {place}",
        "Nous ne céderons pas sur l'essentiel",
        "Ce résultat récompense un travail de longue haleine",
        "Personne ne peut ignorer l'urgence de la situation",
        "Nous serons jugés sur nos actes, pas sur nos promesses",
        "La confiance se construit dans la durée",
        "Il reste beaucoup à faire, et nous le savons",
    ),
    quote_frames=(
        "« {quote} », a déclaré {pa}, {ra}.",
        "« {quote} », a insisté {pa} lors d'un point presse.",
        "Interrogé(e) par la presse, {pa} a résumé : « {quote} ».",
        "« {quote} », estime pour sa part {pb}.",
    ),
    updates=(
        "Mise à jour : {org} a précisé dans la soirée que {count} dossiers restent en "
        "cours d'examen.",
        "Actualisation : selon un nouveau bilan, le chiffre retenu est de {pct}.",
        "Mise à jour : {pb} a réagi par un communiqué diffusé en fin de journée.",
    ),
    agency_added=(
        "Notre rédaction reviendra sur ce dossier dans sa prochaine édition.",
        "Contacté(e), {pb} n'a pas souhaité faire de commentaire.",
        "Les détails de l'annonce seront précisés dans les prochains jours.",
    ),
    dateline="{place} ({agency}) – ",
    weekdays=("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    comments=(
        "Enfin une bonne nouvelle pour {place} !",
        "Je reste sceptique, on nous a déjà promis la même chose.",
        "Merci pour cet article clair et complet.",
        "Et les quartiers périphériques, on en parle quand ?",
        "Bravo à toutes les équipes, c'est mérité.",
        "Il faudrait surtout penser aux jeunes.",
        "Article intéressant, mais il manque l'avis des habitants.",
        "On attend les actes, pas les discours.",
        "Très bonne analyse, comme d'habitude.",
        "Qui va payer au final ?",
    ),
    commenters=(
        "Samir_92", "Claire D.", "Abdou", "Lecteur fidèle", "Mouna", "Jean-Pierre",
        "Hajar B.", "Citoyen engagé", "Rémi", "Khadija", "Nordine", "Élodie",
    ),
    section_labels={
        "politics": "Politique", "economy": "Économie", "sport": "Sport",
        "culture": "Culture", "world": "Monde",
    },
    section_slugs={
        "politics": "politique", "economy": "economie", "sport": "sport",
        "culture": "culture", "world": "monde",
    },
    ui={
        "home": "Accueil", "cookie": "Ce site utilise des cookies pour mesurer l'audience. "
        "En poursuivant votre navigation, vous acceptez leur utilisation.",
        "accept": "Accepter", "ad": "Publicité", "related": "À lire aussi",
        "comments": "Commentaires", "by": "Par", "published": "Publié le",
        "rights": "Tous droits réservés", "latest": "Dernières nouvelles",
        "contact": "Contact", "legal": "Mentions légales", "newsletter":
        "Recevez notre lettre d'information chaque matin",
        "tagline": "L'actualité régionale, nationale et internationale",
    },
    thousands_sep="\u202f",
    decimal_sep=",",
    pct_suffix="\u202f%",
)
