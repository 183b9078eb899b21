"""Function words per language, left out when comparing what two articles are about.

Short lists written for kiosque: only words frequent enough to create false overlap
between unrelated headlines. Forms are already case-folded and, for Arabic, folded as in
:func:`kiosque.enrich.textnorm.normalize_arabic` (teh marbuta as heh, bare alef).
"""

from __future__ import annotations

_FR = """
le la les l un une des du de d au aux et ou mais donc or ni car que qu qui quoi dont ou
ce cet cette ces se sa son ses leur leurs mon ma mes ton ta tes notre nos votre vos
il ils elle elles on nous vous je tu me te lui y en ne pas plus moins tres trop
est sont etait ete etre avoir a ont avait fait faire sur sous dans par pour avec sans
entre vers chez apres avant depuis pendant contre selon comme aussi encore deja tout
tous toute toutes autre autres meme cela ca ceci si quand alors ainsi bien
à été très après déjà où même là ça
"""
_ES = """
el la los las lo un una unos unas de del al y e o u ni pero sino que quien quienes cual
cuales cuyo este esta estos estas ese esa esos esas aquel su sus mi mis tu tus nuestro
nuestra se le les me te nos os yo tu el ella ellos ellas usted ustedes no si ya muy mas
menos es son era fue ser estar esta estan ha han habia hay por para con sin sobre entre
hasta desde durante segun contra como tambien cuando donde todo todos toda todas otro
otra otros otras mismo tras ante bajo
él tú sí más está están había según también cuándo dónde
"""
_EN = """
the a an and or but nor so of to in on at by for with without from into onto over under
about after before between during against as than then that this these those it its is
are was were be been being has have had do does did will would shall should can could
may might must not no yes he she they we you i me him her them us his their our your my
who whom whose which what when where why how all any some more most other such only own
same too very just also up down out off again there here says said
"""
_AR = """
في من على الى إلى عن مع ان أن إن او أو ثم كما لا لم لن ما ماذا هل قد كان كانت يكون
هذا هذه ذلك تلك هو هي هم هن نحن انت انتم الذي التي الذين بين بعد قبل عند حتى منذ خلال
ضد حول دون غير كل بعض اي أي اذا إذا لكن بل و ف ب ل ك ال وقال قال قالت اليوم امس يوم
"""


# Raw lists; :func:`kiosque.enrich.textnorm.stopwords` folds them once on first use.
RAW_STOPWORDS: dict[str, str] = {"fr": _FR, "es": _ES, "en": _EN, "ar": _AR}
