"""Words a Finnish- or Swedish-speaking office guesses first, for the strength estimate.

zxcvbn ships English word lists, so on its own it rates "Marjatta1985" (a Finnish first
name and a year) as very strong.  These are the most common Finnish and Swedish first
names, the seasons, months and everyday password words, and the cities of the region;
they are given to zxcvbn as its user-input dictionary, most common first.  A passphrase
of several such words still rates well: the count of words, not their rarity, is what
makes it strong.
"""

from __future__ import annotations

PASSWORD_WORDS = (
    "salasana", "lösenord", "tunnus", "kirjaudu", "sisään", "salainen", "hemlig", "admin",
    "kela", "counsel", "neuvoja", "ohjaaja", "toimisto", "kontor", "työ", "jobb",
)
NAMES = (
    # Finnish first names (most common women's and men's names of past decades)
    "maria", "helena", "johanna", "anneli", "kaarina", "marjatta", "anna", "liisa",
    "annikki", "hannele", "tuula", "päivi", "riitta", "leena", "pirjo", "sari", "minna",
    "tiina", "marja", "sanna", "laura", "elina", "katja", "aino", "eveliina", "emilia",
    "juhani", "olavi", "antero", "tapani", "johannes", "tapio", "mikael", "kalevi",
    "matti", "pekka", "mikko", "timo", "juha", "kari", "antti", "jari", "jukka", "markku",
    "heikki", "petri", "ville", "jussi", "veikko", "eino", "väinö", "onni", "elias", "leo",
    # Swedish-speaking Finland and Sweden
    "erik", "karl", "lars", "anders", "johan", "per", "nils", "mats", "kristina", "karin",
    "ingrid", "birgitta", "margareta", "elisabeth", "eva", "astrid", "linnea", "elsa",
    # frequent surnames
    "korhonen", "virtanen", "mäkinen", "nieminen", "mäkelä", "hämäläinen", "laine",
    "heikkinen", "koskinen", "järvinen", "lehtonen", "andersson", "johansson", "nyström",
)
EVERYDAY = (
    "kesä", "talvi", "kevät", "syksy", "sommar", "vinter", "vår", "höst",
    "tammikuu", "helmikuu", "maaliskuu", "huhtikuu", "toukokuu", "kesäkuu", "heinäkuu",
    "elokuu", "syyskuu", "lokakuu", "marraskuu", "joulukuu", "januari", "februari",
    "maanantai", "perjantai", "joulu", "juhannus", "jul", "midsommar",
    "suomi", "finland", "helsinki", "espoo", "vantaa", "tampere", "turku", "oulu", "vaasa",
    "kissa", "koira", "katt", "hund", "aurinko", "kuu", "rakkaus", "kärlek", "perhe",
    "koti", "hem", "sisu", "sauna", "järvi", "metsä", "lumi", "uusi", "vanha",
)
HINT_WORDS = PASSWORD_WORDS + NAMES + EVERYDAY
