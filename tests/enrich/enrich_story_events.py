"""Invented news for the story-clustering evaluation: 8 events, 32 articles, 4 languages.

Every name, place and figure is made up for kiosque's tests. Some events share people or
themes on purpose (two weather stories with the same minister, two economy stories) so
that precision is tested as well as recall.
"""

from __future__ import annotations

# (event, lang, title, lead)
ARTICLES: list[tuple[str, str, str, str]] = [
    # E1 floods in Tazrout, minister Karim Benslimane
    ("flood", "fr", "Inondations à Tazrout : 1 200 familles évacuées",
     "Les pluies torrentielles ont fait déborder l'oued Tazrout dans la nuit de lundi. "
     "Le ministre de l'Intérieur Karim Benslimane s'est rendu sur place mardi matin et a "
     "promis une aide d'urgence aux sinistrés."),
    ("flood", "ar", "فيضانات تازروت: إجلاء 1200 أسرة",
     "تسببت الأمطار الغزيرة في فيضان وادي تازروت ليلة الاثنين. وزار وزير الداخلية كريم "
     "بنسليمان المنطقة صباح الثلاثاء ووعد بمساعدة عاجلة للمتضررين."),
    ("flood", "es", "Inundaciones en Tazrout: evacuadas 1.200 familias",
     "Las lluvias torrenciales desbordaron el río Tazrout en la noche del lunes. El "
     "ministro del Interior, Karim Benslimane, visitó la zona el martes y prometió ayuda "
     "urgente para los damnificados."),
    ("flood", "en", "Tazrout floods force 1,200 families from their homes",
     "Torrential rain pushed the Tazrout river over its banks on Monday night. Interior "
     "minister Karim Benslimane visited on Tuesday and promised emergency aid."),
    ("flood", "fr", "Tazrout : le bilan des crues s'alourdit, Benslimane annonce un fonds",
     "Deux jours après la crue de l'oued, les autorités de Tazrout recensent 1 200 "
     "familles évacuées. Karim Benslimane annonce un fonds d'urgence de 300 millions."),
    # E2 heat wave in Marrakech, same minister
    ("heat", "fr", "Canicule : 47 degrés attendus à Marrakech ce week-end",
     "La météo nationale place Marrakech et Beni Mellal en alerte rouge. Le ministre Karim "
     "Benslimane appelle les habitants à éviter de sortir entre midi et 16 heures."),
    ("heat", "ar", "موجة حر: 47 درجة متوقعة في مراكش نهاية الأسبوع",
     "وضعت الأرصاد الجوية مراكش وبني ملال في حالة إنذار أحمر. ودعا الوزير كريم بنسليمان "
     "السكان إلى تجنب الخروج بين منتصف النهار والساعة 16."),
    ("heat", "es", "Ola de calor: se esperan 47 grados en Marrakech",
     "El servicio meteorológico declaró la alerta roja en Marrakech y Beni Mellal. Las "
     "autoridades piden evitar salir entre el mediodía y las 16 horas."),
    ("heat", "en", "Marrakech braces for 47C heatwave this weekend",
     "Forecasters issued a red alert for Marrakech and Beni Mellal, and officials urged "
     "residents to stay indoors between noon and 16:00."),
    # E3 central bank rate cut
    ("rate", "fr", "La Banque centrale abaisse son taux directeur à 2,25 %",
     "Le conseil de la Banque centrale a réduit mardi son taux directeur de 25 points de "
     "base, à 2,25 %, citant le recul de l'inflation à 1,8 %. Le gouverneur Samir Ouazzani "
     "juge la croissance fragile."),
    ("rate", "ar", "البنك المركزي يخفض سعر الفائدة الرئيسي إلى 2,25 في المائة",
     "قرر مجلس البنك المركزي الثلاثاء خفض سعر الفائدة الرئيسي بـ25 نقطة أساس إلى 2,25 في "
     "المائة، بسبب تراجع التضخم إلى 1,8 في المائة. وقال المحافظ سمير الوزاني إن النمو "
     "لا يزال هشا."),
    ("rate", "en", "Central bank cuts key rate to 2.25% as inflation eases",
     "The central bank cut its benchmark rate by 25 basis points to 2.25% on Tuesday, "
     "pointing to inflation of 1.8%. Governor Samir Ouazzani called growth fragile."),
    ("rate", "es", "El banco central baja los tipos al 2,25 %",
     "El banco central recortó el martes su tipo de referencia en 25 puntos básicos, hasta "
     "el 2,25 %, ante una inflación del 1,8 %. El gobernador Samir Ouazzani ve un "
     "crecimiento frágil."),
    # E4 solar plant by Atlasol near Ouarzazate
    ("solar", "fr", "Atlasol inaugure une centrale solaire de 800 MW près de Ouarzazate",
     "La centrale de Tamdaght, construite par Atlasol en trois ans, alimentera 900 000 "
     "foyers. Son directeur, Youssef Lahlou, vise 2 000 MW d'ici 2030."),
    ("solar", "ar", "أطلسول تدشن محطة شمسية بقدرة 800 ميغاواط قرب ورزازات",
     "ستزود محطة تامدغت التي شيدتها أطلسول في ثلاث سنوات 900 ألف منزل بالكهرباء. ويطمح "
     "مديرها يوسف لحلو إلى بلوغ 2000 ميغاواط بحلول 2030."),
    ("solar", "es", "Atlasol inaugura una planta solar de 800 MW cerca de Ouarzazate",
     "La planta de Tamdaght, construida por Atlasol en tres años, abastecerá a 900.000 "
     "hogares. Su director, Youssef Lahlou, apunta a 2.000 MW en 2030."),
    ("solar", "en", "Atlasol switches on 800MW solar plant near Ouarzazate",
     "The Tamdaght plant, built by Atlasol in three years, will power 900,000 homes. Chief "
     "executive Youssef Lahlou targets 2,000MW by 2030."),
    # E5 new rail line
    ("rail", "fr", "Ligne à grande vitesse : le tronçon Kenitra-Tiznit lancé",
     "L'Office des chemins de fer a attribué les travaux du tronçon Kenitra-Tiznit, long de "
     "640 kilomètres. La ministre Nadia Fettah Alami promet une mise en service en 2031."),
    ("rail", "ar", "إطلاق أشغال خط القطار فائق السرعة بين القنيطرة وتيزنيت",
     "منح مكتب السكك الحديدية صفقة أشغال مقطع القنيطرة تيزنيت على طول 640 كيلومترا. "
     "ووعدت الوزيرة نادية فتاح العلمي بتشغيله سنة 2031."),
    ("rail", "en", "Work starts on Kenitra-Tiznit high-speed rail link",
     "The rail office awarded contracts for the 640-kilometre Kenitra-Tiznit section. "
     "Minister Nadia Fettah Alami says trains will run by 2031."),
    # E6 startup fundraising
    ("startup", "fr", "La start-up Datanova lève 12 millions de dollars",
     "Fondée à Casablanca par Imane Berrada, Datanova développe un logiciel d'analyse des "
     "récoltes. Le tour de table est mené par le fonds Sahel Ventures."),
    ("startup", "en", "Datanova raises $12 million for crop analytics",
     "Casablanca-based Datanova, founded by Imane Berrada, makes harvest analysis "
     "software. Sahel Ventures led the round."),
    ("startup", "es", "Datanova recauda 12 millones de dólares",
     "La empresa Datanova, fundada en Casablanca por Imane Berrada, desarrolla software "
     "de análisis de cosechas. Sahel Ventures lideró la ronda."),
    ("startup", "ar", "داتانوفا تجمع 12 مليون دولار",
     "تطور شركة داتانوفا الناشئة التي أسستها إيمان برادة في الدار البيضاء برنامجا لتحليل "
     "المحاصيل. وقاد الجولة صندوق ساحل فنتشرز."),
    # E7 film festival in Tangier
    ("film", "fr", "Festival de Tanger : l'Étoile d'or pour Leila Amrani",
     "La réalisatrice Leila Amrani remporte l'Étoile d'or avec « La Route du sel ». Le jury, "
     "présidé par Omar Kettani, salue un film d'une grande justesse."),
    ("film", "ar", "مهرجان طنجة: النجمة الذهبية لليلى العمراني",
     "فازت المخرجة ليلى العمراني بالنجمة الذهبية عن فيلم طريق الملح. وأشادت لجنة التحكيم "
     "برئاسة عمر الكتاني بدقة الفيلم."),
    ("film", "es", "Festival de Tánger: la Estrella de Oro para Leila Amrani",
     "La directora Leila Amrani gana la Estrella de Oro con «La ruta de la sal». El jurado, "
     "presidido por Omar Kettani, elogió la película."),
    ("film", "en", "Leila Amrani wins Golden Star at Tangier festival",
     "Director Leila Amrani took the Golden Star for The Salt Road. The jury, chaired by "
     "Omar Kettani, praised the film's precision."),
    # E8 port strike in Agadir
    ("strike", "fr", "Grève au port d'Agadir : 40 navires bloqués",
     "Les dockers du port d'Agadir ont cessé le travail jeudi pour réclamer une hausse de "
     "salaire de 15 %. Le syndicat UMT menace de prolonger le mouvement."),
    ("strike", "ar", "إضراب في ميناء أكادير: 40 سفينة عالقة",
     "توقف عمال الرصيف في ميناء أكادير عن العمل الخميس للمطالبة بزيادة في الأجور بنسبة "
     "15 في المائة. وهددت نقابة UMT بتمديد الإضراب."),
    ("strike", "en", "Agadir port strike leaves 40 ships stranded",
     "Dockworkers at Agadir port walked out on Thursday demanding a 15% pay rise. The UMT "
     "union threatened to extend the strike."),
    ("strike", "es", "Huelga en el puerto de Agadir: 40 barcos bloqueados",
     "Los estibadores del puerto de Agadir dejaron de trabajar el jueves para exigir una "
     "subida salarial del 15 %. El sindicato UMT amenaza con prolongar la huelga."),
]
