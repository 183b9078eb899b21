"""Invented people, places, organisations and topics, named in the four languages.

Stories are told by several publishers in several languages, and a clustering or
search evaluation is only meaningful when those versions share their facts: the same
person, the same city, the same figures. So every entity here is one tuple with its
name in each language, in the fixed order of ``LANGS``; the per-language lexicons then
only supply wording. Every person and organisation is invented; places are real
geography, which is public knowledge and no publisher's text.
"""

from __future__ import annotations

LANGS: tuple[str, ...] = ("fr", "es", "en", "ar")
LANG_INDEX: dict[str, int] = {lang: i for i, lang in enumerate(LANGS)}

# The five sections every simulated site has, under a language-neutral key.
SECTION_KEYS: tuple[str, ...] = ("politics", "economy", "sport", "culture", "world")

Names = tuple[str, str, str, str]

PEOPLE: tuple[Names, ...] = (
    ("Karim Benslimane", "Karim Benslimane", "Karim Benslimane", "كريم بنسليمان"),
    ("Nadia El Ouazzani", "Nadia El Uazani", "Nadia El Ouazzani", "نادية الوزاني"),
    ("Youssef Tahiri", "Yusef Tahiri", "Youssef Tahiri", "يوسف الطاهري"),
    ("Salma Berrada", "Salma Berrada", "Salma Berrada", "سلمى برادة"),
    ("Hicham Lamrani", "Hicham Lamrani", "Hisham Lamrani", "هشام العمراني"),
    ("Leïla Chraïbi", "Leila Chraibi", "Leila Chraibi", "ليلى الشرايبي"),
    ("Omar Fassi-Halfaoui", "Omar Fasi Halfaui", "Omar Fassi-Halfaoui", "عمر الفاسي الحلفاوي"),
    ("Amina Raji", "Amina Rayi", "Amina Raji", "أمينة الراجي"),
    ("Mehdi Alaoui Kettani", "Mehdi Alaui Kettani", "Mehdi Alaoui Kettani", "مهدي العلوي الكتاني"),
    ("Zineb Haddaoui", "Zineb Hadaui", "Zineb Haddaoui", "زينب الحداوي"),
    ("Rachid Oulhaj", "Rachid Ulhach", "Rashid Oulhaj", "رشيد أولحاج"),
    ("Fatima-Zahra Idrissi", "Fátima Zahra Idrisi", "Fatima Zahra Idrissi",
     "فاطمة الزهراء الإدريسي"),
    ("Anas Bouzidi", "Anas Buzidi", "Anas Bouzidi", "أنس بوزيدي"),
    ("Houda Mernissi", "Huda Mernisi", "Houda Mernissi", "هدى المرنيسي"),
    ("Tarik Amrani", "Tarik Amrani", "Tarik Amrani", "طارق أمراني"),
    ("Samira Guessous", "Samira Gesús", "Samira Guessous", "سميرة كسوس"),
    ("Jean-Marc Delorme", "Jean-Marc Delorme", "Jean-Marc Delorme", "جان مارك ديلورم"),
    ("Lucía Ferrándiz", "Lucía Ferrándiz", "Lucia Ferrandiz", "لوسيا فيرانديث"),
    ("Thomas Whitcombe", "Thomas Whitcombe", "Thomas Whitcombe", "توماس ويتكومب"),
    ("Ibrahima Sarr-Diop", "Ibrahima Sarr Diop", "Ibrahima Sarr-Diop", "إبراهيما سار ديوب"),
    ("Soukaina Belkadi", "Sukaina Belkadi", "Soukaina Belkadi", "سكينة بلقاضي"),
    ("Adil Zerouali", "Adil Zerouali", "Adil Zerouali", "عادل الزروالي"),
    ("Meryem Tazi-Rahal", "Meryem Tazi Rahal", "Meryem Tazi-Rahal", "مريم التازي الرحال"),
    ("Brahim Ait Ouarab", "Brahim Ait Uarab", "Brahim Ait Ouarab", "ابراهيم آيت وعراب"),
)

PLACES: tuple[Names, ...] = (
    ("Casablanca", "Casablanca", "Casablanca", "الدار البيضاء"),
    ("Rabat", "Rabat", "Rabat", "الرباط"),
    ("Tanger", "Tánger", "Tangier", "طنجة"),
    ("Fès", "Fez", "Fez", "فاس"),
    ("Marrakech", "Marrakech", "Marrakesh", "مراكش"),
    ("Agadir", "Agadir", "Agadir", "أكادير"),
    ("Oujda", "Uchda", "Oujda", "وجدة"),
    ("Tétouan", "Tetuán", "Tetouan", "تطوان"),
    ("Meknès", "Mequinez", "Meknes", "مكناس"),
    ("Laâyoune", "El Aaiún", "Laayoune", "العيون"),
    ("Dakhla", "Dajla", "Dakhla", "الداخلة"),
    ("Essaouira", "Esauira", "Essaouira", "الصويرة"),
    ("Nador", "Nador", "Nador", "الناظور"),
    ("Errachidia", "Errachidía", "Errachidia", "الرشيدية"),
    ("Kénitra", "Kenitra", "Kenitra", "القنيطرة"),
    ("Ouarzazate", "Uarzazat", "Ouarzazate", "ورزازات"),
)

COUNTRIES: tuple[Names, ...] = (
    ("l'Espagne", "España", "Spain", "إسبانيا"),
    ("la France", "Francia", "France", "فرنسا"),
    ("le Sénégal", "Senegal", "Senegal", "السنغال"),
    ("la Mauritanie", "Mauritania", "Mauritania", "موريتانيا"),
    ("le Portugal", "Portugal", "Portugal", "البرتغال"),
    ("l'Égypte", "Egipto", "Egypt", "مصر"),
    ("la Tunisie", "Túnez", "Tunisia", "تونس"),
    ("le Nigeria", "Nigeria", "Nigeria", "نيجيريا"),
    ("le Brésil", "Brasil", "Brazil", "البرازيل"),
    ("le Japon", "Japón", "Japan", "اليابان"),
)

ORGS: tuple[Names, ...] = (
    ("l'Office national de l'eau potable", "la Oficina Nacional del Agua Potable",
     "the National Drinking Water Office", "المكتب الوطني للماء الصالح للشرب"),
    ("la Caisse régionale d'investissement", "la Caja Regional de Inversiones",
     "the Regional Investment Fund", "الصندوق الجهوي للاستثمار"),
    ("la Fédération des petites entreprises", "la Federación de Pequeñas Empresas",
     "the Federation of Small Businesses", "جامعة المقاولات الصغرى"),
    ("l'Agence du développement numérique", "la Agencia de Desarrollo Digital",
     "the Digital Development Agency", "وكالة التنمية الرقمية"),
    ("le Conseil supérieur de l'éducation", "el Consejo Superior de Educación",
     "the Higher Education Council", "المجلس الأعلى للتربية"),
    ("l'Observatoire des prix", "el Observatorio de Precios",
     "the Price Observatory", "مرصد الأسعار"),
    ("la Compagnie portuaire du Nord", "la Compañía Portuaria del Norte",
     "the Northern Port Company", "الشركة المينائية للشمال"),
    ("l'Institut des énergies solaires", "el Instituto de Energías Solares",
     "the Solar Energy Institute", "معهد الطاقات الشمسية"),
    ("l'Union des coopératives agricoles", "la Unión de Cooperativas Agrícolas",
     "the Union of Farming Cooperatives", "اتحاد التعاونيات الفلاحية"),
    ("la Banque du littoral", "el Banco del Litoral", "the Coastal Bank", "بنك الساحل"),
)

CLUBS: tuple[Names, ...] = (
    ("l'Étoile de Kénitra", "la Estrella de Kenitra", "Kenitra Star", "نجم القنيطرة"),
    ("le Racing de l'Oriental", "el Racing del Oriental", "Oriental Racing",
     "راسينغ الشرق"),
    ("l'Union sportive de Tanger", "la Unión Deportiva de Tánger", "Tangier Sporting Union",
     "الاتحاد الرياضي لطنجة"),
    ("l'Olympique des Remparts", "el Olímpico de las Murallas", "Ramparts Olympic",
     "أولمبيك الأسوار"),
    ("le Club athlétique du Souss", "el Club Atlético del Sus", "Souss Athletic Club",
     "النادي الرياضي لسوس"),
    ("la Jeunesse de l'Atlas", "la Juventud del Atlas", "Atlas Youth", "شباب الأطلس"),
    ("le Stade côtier", "el Estadio Costero", "Coastal Stadium FC", "الملعب الساحلي"),
    ("l'Avenir de Meknès", "el Porvenir de Mequinez", "Meknes Future", "مستقبل مكناس"),
)

# Topic phrases per section: the subject of an event, translated.
TOPICS: dict[str, tuple[Names, ...]] = {
    "politics": (
        ("la réforme des retraites", "la reforma de las pensiones", "pension reform",
         "إصلاح أنظمة التقاعد"),
        ("le projet de loi sur l'eau", "el proyecto de ley del agua", "the water bill",
         "مشروع قانون الماء"),
        ("la décentralisation régionale", "la descentralización regional",
         "regional devolution", "الجهوية المتقدمة"),
        ("la loi de finances", "la ley de presupuestos", "the budget bill",
         "قانون المالية"),
        ("la réforme de la santé publique", "la reforma de la sanidad pública",
         "public health reform", "إصلاح الصحة العمومية"),
        ("le code du travail", "el código laboral", "the labour code", "مدونة الشغل"),
        ("la transparence des marchés publics", "la transparencia de la contratación pública",
         "transparency in public procurement", "شفافية الصفقات العمومية"),
        ("la réforme de l'enseignement", "la reforma educativa", "education reform",
         "إصلاح التعليم"),
    ),
    "economy": (
        ("le prix des carburants", "el precio de los carburantes", "fuel prices",
         "أسعار المحروقات"),
        ("les exportations agricoles", "las exportaciones agrícolas", "farm exports",
         "الصادرات الفلاحية"),
        ("le dessalement de l'eau de mer", "la desalinización del agua de mar",
         "seawater desalination", "تحلية مياه البحر"),
        ("l'inflation", "la inflación", "inflation", "التضخم"),
        ("le tourisme balnéaire", "el turismo de playa", "seaside tourism",
         "السياحة الشاطئية"),
        ("l'industrie automobile", "la industria del automóvil", "the car industry",
         "صناعة السيارات"),
        ("l'énergie éolienne", "la energía eólica", "wind power", "الطاقة الريحية"),
        ("le crédit aux jeunes entreprises", "el crédito a las empresas emergentes",
         "credit for start-ups", "تمويل المقاولات الناشئة"),
    ),
    "sport": (
        ("le championnat national", "el campeonato nacional", "the national league",
         "البطولة الوطنية"),
        ("la coupe du Trône", "la copa del Trono", "the Throne Cup", "كأس العرش"),
        ("le marathon international", "el maratón internacional",
         "the international marathon", "الماراثون الدولي"),
        ("le tournoi de tennis", "el torneo de tenis", "the tennis tournament",
         "دورة التنس"),
        ("la saison de handball", "la temporada de balonmano", "the handball season",
         "موسم كرة اليد"),
        ("le rallye du désert", "el rally del desierto", "the desert rally",
         "رالي الصحراء"),
    ),
    "culture": (
        ("le festival des musiques du monde", "el festival de músicas del mundo",
         "the world music festival", "مهرجان موسيقى العالم"),
        ("le salon du livre", "la feria del libro", "the book fair", "معرض الكتاب"),
        ("la restauration de la médina", "la restauración de la medina",
         "the restoration of the medina", "ترميم المدينة العتيقة"),
        ("le festival du film", "el festival de cine", "the film festival",
         "مهرجان الفيلم"),
        ("la biennale d'art contemporain", "la bienal de arte contemporáneo",
         "the contemporary art biennial", "بينالي الفن المعاصر"),
        ("le patrimoine amazigh", "el patrimonio amazigh", "Amazigh heritage",
         "التراث الأمازيغي"),
    ),
    "world": (
        ("le sommet sur le climat", "la cumbre del clima", "the climate summit",
         "قمة المناخ"),
        ("les négociations commerciales", "las negociaciones comerciales", "trade talks",
         "المفاوضات التجارية"),
        ("la crise migratoire", "la crisis migratoria", "the migration crisis",
         "أزمة الهجرة"),
        ("le gazoduc transsaharien", "el gasoducto transahariano",
         "the trans-Saharan gas pipeline", "أنبوب الغاز العابر للصحراء"),
        ("la sécurité alimentaire", "la seguridad alimentaria", "food security",
         "الأمن الغذائي"),
        ("la coopération maritime", "la cooperación marítima", "maritime cooperation",
         "التعاون البحري"),
    ),
}

# Roles of the main person of an event, per section.
ROLES: dict[str, tuple[Names, ...]] = {
    "politics": (
        ("ministre de l'Intérieur", "ministro del Interior", "Interior Minister",
         "وزير الداخلية"),
        ("présidente de la commission des finances", "presidenta de la comisión de Hacienda",
         "chair of the finance committee", "رئيسة لجنة المالية"),
        ("porte-parole du gouvernement", "portavoz del Gobierno", "government spokesperson",
         "الناطق الرسمي باسم الحكومة"),
        ("député de l'opposition", "diputado de la oposición", "opposition MP",
         "النائب المعارض"),
    ),
    "economy": (
        ("ministre de l'Économie", "ministro de Economía", "Economy Minister",
         "وزير الاقتصاد"),
        ("directrice générale", "directora general", "chief executive", "المديرة العامة"),
        ("économiste", "economista", "economist", "الخبير الاقتصادي"),
        ("président du patronat", "presidente de la patronal",
         "head of the employers' federation", "رئيس الاتحاد العام للمقاولات"),
    ),
    "sport": (
        ("entraîneur", "entrenador", "head coach", "المدرب"),
        ("capitaine", "capitán", "captain", "العميد"),
        ("président du club", "presidente del club", "club president", "رئيس النادي"),
        ("directrice technique", "directora técnica", "technical director",
         "المديرة التقنية"),
    ),
    "culture": (
        ("directrice du festival", "directora del festival", "festival director",
         "مديرة المهرجان"),
        ("écrivain", "escritor", "novelist", "الكاتب"),
        ("ministre de la Culture", "ministro de Cultura", "Culture Minister",
         "وزير الثقافة"),
        ("commissaire de l'exposition", "comisaria de la exposición", "exhibition curator",
         "منسقة المعرض"),
    ),
    "world": (
        ("ministre des Affaires étrangères", "ministro de Asuntos Exteriores",
         "Foreign Minister", "وزير الخارجية"),
        ("ambassadrice", "embajadora", "ambassador", "السفيرة"),
        ("négociateur en chef", "negociador jefe", "chief negotiator", "كبير المفاوضين"),
        ("envoyé spécial", "enviado especial", "special envoy", "المبعوث الخاص"),
    ),
}

# The fictional news agencies whose dispatches several sites republish.
AGENCIES: dict[str, tuple[str, str]] = {
    "fr": ("Agence Dépêches du Maghreb Occidental", "ADMO"),
    "es": ("Agencia Noticias del Estrecho", "ANE"),
    "en": ("Westcoast Wire Service", "WWS"),
    "ar": ("وكالة أنباء الضفتين", "وأض"),
}
