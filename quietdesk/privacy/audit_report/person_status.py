"""Statements that a person HAS a status, told apart from topics someone asks about.

Pure Python (no Django, no I/O), used by ``scanner``. Each function returns
``(start, end)`` spans, never the text.

The line drawn. "Patron is undocumented", "from Guatemala", "her asylum case",
"has HIV", "está embarazada" say something about one person: written in a
library record, they can be demanded and used against that person. "Books on
asylum law", "Immigration Law Handbook", "citizenship class", "diabetes
cookbook", "Stories from Guatemala" are topics: what a library is for (ICE
response protocol, "Outreach": collections on immigration law and
citizenship). So a status word counts only with something that ties it to a
person:

* a copula after a subject ("is undocumented", "she's a refugee", "es
  indocumentada", "está embarazada"), unless the subject is generic or not a
  person ("if you are undocumented", "the book is Mexican");
* a possessive ("her asylum case", "his green card", "su embarazo");
* a verb of having or seeking ("has TPS", "applied for asylum", "tiene VIH",
  "was diagnosed with cancer"), unless generic ("do you have the asylum forms");
* a person noun ("undocumented patron", "patron from Guatemala", "pregnant
  woman"; singular: "refugee families" is an audience, not a person);
* a terse note's clause on its own ("Undocumented.", "..., from Honduras").

Spanish is matched with or without accents (staff type "deportacion").
"""

from __future__ import annotations

import functools
import re
import unicodedata

from . import status_lexicon as lexicon

_ACCENTS = {"á": "[aá]", "é": "[eé]", "í": "[ií]", "ó": "[oó]", "ú": "[uúü]", "ñ": "[nñ]", "ü": "[uü]"}


def _fold(word: str) -> str:
    """Accents optional: a pattern for "deportación" also matches "deportacion"."""
    return "".join(_ACCENTS.get(ch, ch) for ch in word)


def _plain(word: str) -> str:
    """Lowercase without accents, to compare a word with a list."""
    return "".join(c for c in unicodedata.normalize("NFD", word.lower()) if not unicodedata.combining(c))


def _alt(*words: str) -> str:
    return "(?:" + "|".join(_fold(w) for w in words) + ")"


def _compile(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


# --- who --------------------------------------------------------------------------------

_POSSESSIVES, _PERSON, _PRONOUNS = lexicon.POSSESSIVES, lexicon.PERSONS, lexicon.PRONOUNS
COUNTRIES, DEMONYMS = lexicon.COUNTRIES, lexicon.DEMONYMS

_POSSESSIVE = _alt(*_POSSESSIVES)
_PERSON_NOUN = _alt(*_PERSON)
_PERSON_OR_PRONOUN = _alt(*_PERSON, *_PRONOUNS)
# Possessive of a person: "patron's", "mother's".
_PERSONS = _PERSON_NOUN + r"['’]s"

_NOT_A_PERSON = frozenset(_plain(w) for w in lexicon.NOT_A_PERSON.split())
_RELATIVE = frozenset({"who", "que", "quien", "quienes"})
_WORD_BEFORE = re.compile(r"([^\W\d_]+)['’]?\s*$")
_NOUN_BEFORE = re.compile(r"([^\W\d_]+)['’]?\s*,?\s*$")  # "Maria, who is": the comma of a relative clause


def _word_before(text: str, pos: int, pattern: re.Pattern = _WORD_BEFORE) -> tuple[str, int]:
    m = pattern.search(text, max(0, pos - 40), pos)
    return (_plain(m.group(1)), m.start()) if m else ("", pos)


def _subject(text: str, start: int) -> str:
    """The word just before ``start`` (lowercased, no accents), or "" at the start of a
    clause. Past a relative pronoun: "a patron who is", "Maria, who is", "dijo que es",
    "people who are"."""
    word, at = _word_before(text, start)
    if word in _RELATIVE:
        before, _ = _word_before(text, at, _NOUN_BEFORE)
        return before or word
    return word


def _generic(text: str, start: int) -> bool:
    return _subject(text, start) in _NOT_A_PERSON


_COPULA = (r"(?:(?<!\w)" + _alt("is", "are", "was", "were", "am", "be", "being", "been", "became", "becomes", "remains",
                            "es", "son", "era", "eran", "fue", "fueron", "está", "están", "estaba", "estaban", "soy",
                            "somos", "sea", "quedó", "sigue", "siguen", "anda")
           + r"|['’](?:s|re|m))")
_MODS = (r"(?:\s+" + _alt("not", "no", "now", "still", "currently", "recently", "actually", "also", "probably",
                          "maybe", "possibly", "likely", "originally", "apparently", "ahora", "todavía", "aún",
                          "también", "actualmente", "recién", "probablemente", "quizás", "ya") + ")*")
_ART = r"(?:\s+(?:an?|the|un|una|el|la))?"
_DET = r"(?:\s+(?:an?|the|his|her|their|its|un|una|el|la|los|las|su|sus|no))?"
_ADJ = (r"(?:\s+" + _alt("pending", "new", "old", "expired", "expiring", "current", "approved", "denied", "upcoming",
                         "next", "first", "last", "recent", "renewed", "pendiente", "nuev[oa]", "viej[oa]",
                         "vencid[oa]", "aprobad[oa]", "negad[oa]", "próxim[oa]", "primer[oa]?") + "){0,2}")
_END = r"(?![\w-])"
_TOPIC_AFTER = (r"(?!\s+" + _alt("forms?", "books?", "information", "info", "law", "laws", "lawyers?", "workshops?",
                                 "polic(?:y|ies)", "systems?", "rules", "requirements", "políticas?", "sistemas?",
                                 "class(?:es)?", "clinics?", "resources", "guides?", "handbooks?", "materials",
                                 "libros?", "formularios?", "información", "ley", "leyes", "talleres", "taller",
                                 "clases?", "recursos", "guías?") + r"(?!\w))")

# --- rules -------------------------------------------------------------------------------
#
# Speed: the audit scans every note; a regex that starts with a long alternation (every
# person noun, every copula) is tried at every word and costs about a millisecond a note.
# So each rule names the words it can start with; the text is split into words once, and
# a rule's pattern is only tried, anchored (``match``), where one of its words stands. A
# family (immigration, origin, health) is skipped at once when none of its words occurs.

_PLAIN_TABLE = str.maketrans("áàéèíìóòúùüñ", "aaeeiioouuun")
_TOKEN = re.compile(r"[^\W\d_]+")


def _stem(entry: str) -> str:
    """The plain letters a word-list entry starts with: "mexican[oa]" -> "mexican"."""
    return re.sub(r"[\W\d_].*", "", _plain(entry), flags=re.DOTALL)


class _Words:
    """A set of plain words; an entry ending in "*" matches any word it begins."""

    def __init__(self, words: str):
        self.exact: set[str] = set()
        self.prefixes: dict[str, list[str]] = {}
        for word in words.split():
            word = _plain(word)
            if word.endswith("*") and len(word) > 3:
                self.prefixes.setdefault(word[:3], []).append(word[:-1])
            else:
                self.exact.add(word.rstrip("*"))

    def __contains__(self, word: str) -> bool:
        return word in self.exact or any(word.startswith(p) for p in self.prefixes.get(word[:3], ()))


class _Rule:
    def __init__(self, anchors: str, pattern: str, *, subject: bool = False, clause: bool = False):
        self.anchors = _Words(anchors)
        self.pattern = _compile(pattern)
        self.subject = subject  # the word before must be a person, not "you", "book"...
        self.clause = clause  # must start a clause: "Undocumented." or ", from Honduras."


def _plain_text(text: str) -> str:
    """Lowercase, without accents, the same length as ``text`` (positions carry over)."""
    plain = text.lower().translate(_PLAIN_TABLE)
    if len(plain) != len(text):  # a few characters lowercase to two: keep the positions right
        plain = "".join(ch.lower()[0] for ch in text).translate(_PLAIN_TABLE)
    return plain


_CONTRACTIONS = frozenset({"s", "re", "m"})


def _clause_start(text: str, start: int) -> bool:
    """Nothing before ``start`` but the end of a sentence or clause ("Undocumented.", ", from Peru.")."""
    before = text[max(0, start - 200):start].rstrip()
    return not before or before[-1] in ".;:!?,("


def _find(text: str, rules) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for rule, start in rules:
        if rule.clause and not _clause_start(text, start):
            continue
        m = rule.pattern.match(text, start)
        if m is None or (rule.subject and _generic(text, start)):
            continue
        if not any(s < m.end() and start < e for s, e in out):
            out.append((start, m.end()))
    return sorted(out)


# --- immigration status -----------------------------------------------------------------

_IMM_STATE = _alt(
    r"undocumented", r"illegal(?:ly\s+here|\s+(?:aliens?|immigrants?))?", r"here\s+illegally",
    r"in\s+the\s+(?:us|u\.s\.|country)\s+illegally",
    r"(?:asylum\s+seekers?|asylees?|refugees?|immigrants?|migrants?|dreamers?|daca\s+recipients?|tps\s+holders?"
    r"|green\s*-?\s*card\s+holders?|visa\s+holders?|permanent\s+residents?|lprs?|non-?citizens?|overstays?)",
    r"(?:a\s+)?(?:u\.?s\.?\s+|american\s+)?citizens?", r"on\s+(?:an?\s+)?(?:[a-z0-9-]+\s+)?visas?",
    r"out\s+of\s+status", r"without\s+(?:papers|documents|status|legal\s+status)", r"deportable",
    r"in\s+(?:removal|deportation|immigration)\s+(?:proceedings|court)", r"facing\s+(?:deportation|removal)",
    r"being\s+deported", r"deported", r"on\s+(?:daca|tps)", r"in\s+ice\s+(?:custody|detention)",
    r"detained\s+by\s+ice", r"undocumented\s+immigrants?",
    r"indocumentad[oa]s?", r"ilegal(?:es)?", r"sin\s+(?:papeles|documentos)", r"refugiad[oa]s?", r"asilad[oa]s?",
    r"solicitantes?\s+de\s+asilo", r"inmigrantes?", r"migrantes?", r"residentes?\s+permanentes?",
    r"ciudadan[oa]s?(?:\s+(?:american[oa]|estadounidense)s?)?", r"deportad[oa]s?",
    r"en\s+(?:proceso|trámite)\s+de\s+(?:deportación|asilo)", r"con\s+(?:visa|daca|tps|permiso\s+de\s+trabajo)",
    r"detenid[oa]s?\s+por\s+(?:ice|la\s+migra)",
)
_IMM_THING = _alt(
    r"asylum(?:\s+(?:case|claim|application|hearing|interview|status))?", r"refugee\s+status",
    r"visas?(?!\s+(?:cards?|debit|credit|gift))(?:\s+(?:status|application|interview|renewal))?",
    r"green\s*-?\s*cards?(?:\s+(?:application|interview|renewal))?", r"daca(?:\s+(?:renewal|status|application))?",
    r"tps(?:\s+status)?", r"work\s+permit", r"immigration\s+(?:status|case|hearing|court\s+date|papers|paperwork"
                                            r"|appointment|check-?in|lawyer|attorney)",
    r"deportation(?:\s+(?:order|hearing|case|proceedings))?", r"removal\s+(?:order|proceedings|case)",
    r"citizenship(?:\s+(?:status|application|interview))?",
    r"naturali[sz]ation(?:\s+(?:application|interview|ceremony))?", r"alien\s+(?:number|registration)",
    r"i-94", r"ice\s+check-?in", r"no\s+papers",
    r"(?:caso|solicitud|audiencia|cita|trámite|proceso|orden)\s+de\s+(?:asilo|deportación|residencia|visa|ciudadanía"
    r"|inmigración)", r"asilo", r"visa(?!\s+(?:card|débito|crédito))", r"tarjeta\s+verde", r"permiso\s+de\s+trabajo",
    r"residencia\s+permanente", r"tarjeta\s+de\s+residencia", r"estatus\s+migratorio", r"situación\s+migratoria",
    r"estado\s+migratorio", r"ciudadanía", r"deportación", r"no\s+papeles",
)
_IMM_TERSE = _alt(r"undocumented", r"indocumentad[oa]", r"sin\s+papeles", r"out\s+of\s+status",
                  r"no\s+papers", r"deportable")
_HAS_STATUS = _alt("has", "have", "had", "having", "got", "gets", "holds", "held", "received", "obtained", "lost",
                   r"applied\s+for", r"applying\s+for", r"filed\s+for", r"filing\s+for", r"waiting\s+(?:on|for)",
                   "renewing", "renewed", r"was\s+granted", "granted", "tiene", "tienen", "tenía", "tenían",
                   "solicitó", "solicitando", "recibió", "obtuvo", "perdió", "renovó", "renovando", "espera",
                   "esperando", r"le\s+negaron", r"le\s+dieron")

_COPULA_WORDS = ("is are was were am be being been became becomes remains es son era eran fue fueron esta estan "
                 "estaba estaban soy somos sea quedo sigue siguen anda 's 're 'm")
_PERSON_WORDS = " ".join(_PERSON)
_PERSONS_AND_PRONOUNS = _PERSON_WORDS + " " + " ".join(_PRONOUNS)
_POSSESSIVE_WORDS = " ".join(_POSSESSIVES) + " " + _PERSON_WORDS

_IMM_RULES = (
    # "is undocumented", "she's a refugee", "es indocumentada" (subject checked)
    _Rule(_COPULA_WORDS, _COPULA + _MODS + _ART + r"\s+" + _IMM_STATE + _END, subject=True),
    # "her asylum case", "patron's green card", "su caso de asilo"
    _Rule(_POSSESSIVE_WORDS,
          r"(?:" + _POSSESSIVE + "|" + _PERSONS + ")" + _ADJ + r"\s+" + _IMM_THING + _END + _TOPIC_AFTER),
    # "has TPS", "applied for asylum", "tiene DACA" (subject checked; not "do you have the asylum forms")
    _Rule("has have had having got gets holds held received obtained lost applied applying filed filing waiting "
          "renewing renewed was granted tiene tienen tenia tenian solicito solicitando recibio obtuvo perdio renovo "
          "renovando espera esperando le",
          _HAS_STATUS + _DET + _ADJ + r"\s+" + _IMM_THING + _END + _TOPIC_AFTER, subject=True),
    # "la deportación de su hijo", "the asylum case of her husband"
    _Rule("deportation deportacion asylum asilo caso solicitud orden green visa immigration estatus situacion tarjeta "
          "permiso ciudadania citizenship",
          _alt(r"deportation", r"asylum(?:\s+(?:case|claim|application|hearing))?", r"green\s*-?\s*card",
               r"visa", r"immigration\s+(?:status|case|hearing)", r"citizenship(?:\s+application)?",
               r"deportación", r"(?:caso|solicitud|audiencia|orden)\s+de\s+(?:asilo|deportación)", r"asilo",
               r"estatus\s+migratorio", r"situación\s+migratoria", r"tarjeta\s+verde", r"permiso\s+de\s+trabajo",
               r"ciudadanía")
          + r"\s+(?:of|de|del)\s+(?:(?:" + _POSSESSIVE + r"|the|a|an|la|el|una?)\s+)?" + _PERSON_NOUN + r"(?![\w-])"),
    # "undocumented patron", "patron undocumented", "usuaria indocumentada" (singular)
    _Rule("undocumented illegal refugee asylee daca tps indocumentado indocumentada refugiado refugiada",
          r"(?:undocumented|illegal|refugee|asylee|daca|tps|indocumentad[oa]|refugiad[oa])\s+" + _PERSON_NOUN
          + r"(?![\w-])"),
    _Rule(_PERSONS_AND_PRONOUNS,
          _PERSON_OR_PRONOUN + r"\s+" + _alt(r"undocumented", r"indocumentad[oa]", r"sin\s+papeles", r"illegal",
                                             r"out\s+of\s+status") + _END),
    # "Undocumented." / "..., sin papeles," on its own in a terse note
    _Rule("undocumented indocumentado indocumentada sin out no deportable",
          _IMM_TERSE + r"\s*(?=[.;:!?\n,)]|$)", clause=True),
)

# --- national origin ----------------------------------------------------------------------

_COUNTRY = r"(?:the\s+)?" + _alt(*COUNTRIES)
_DEMONYM = _alt(*DEMONYMS)
# Spanish copulas end the word list; "from" is "de" in Spanish: "es de Guatemala".
_FROM = r"(?:\s+originally)?\s+(?:from|de|desde)\s+"
_ORIGIN_VERB = _alt("comes", "came", "come", "coming", "is", "are", "was", "were", "emigrated", "immigrated", "fled",
                    "escaped", r"moved\s+here", "arrived", "originally", "viene", "vienen", "vino", "llegó",
                    "llegaron", "huyó", "emigró", "es", "son", "era", "originari[oa]s?", "oriund[oa]s?",
                    "procedente", "natural")
_NOT_FOOD_OR_LANGUAGE = (r"(?!-?\s*" + _alt("speaking", "speakers?", "language", "languages", "food", "cuisine",
                                            "restaurants?", "dish(?:es)?", "recipes?", "books?", "films?", "movies?",
                                            "music", "art", "heritage", "history", "literature", "authors?", "writers?",
                                            "idioma", "hablantes?", "comida", "cocina", "recetas?", "libros?",
                                            "películas?", "música", "historia", "literatura")
                         + r"(?!\w))")
_NOT_A_RANGE = r"(?!\s+(?:to|a|hasta|and|y)\s)"

_ORIGIN_RULES = (
    # "is from Guatemala", "came from Honduras", "es de México" (subject checked)
    _Rule("comes came come coming is are was were emigrated immigrated fled escaped moved arrived originally viene "
          "vienen vino llego llegaron huyo emigro es son era originari* oriund* procedente natural",
          _ORIGIN_VERB + _FROM + _COUNTRY + _END + _NOT_A_RANGE, subject=True),
    # "patron from Guatemala", "family from Honduras", "señora de El Salvador"
    _Rule(_PERSONS_AND_PRONOUNS, _PERSON_OR_PRONOUN + r"(?:\s+originally)?\s+from\s+" + _COUNTRY + _END + _NOT_A_RANGE),
    _Rule("senora senor senorita familia mujer hombre usuario usuaria chico chica nino nina estudiante patrona",
          _alt("señora", "señor", "señorita", "familia", "mujer", "hombre", "usuari[oa]", "chic[oa]", "niñ[oa]",
               "estudiante", "patrona") + r"\s+de\s+" + _COUNTRY + _END + _NOT_A_RANGE),
    # "..., from Guatemala." as a terse note's clause (not a title's "From Mexico with Love")
    _Rule("from de originally", r"(?:originally\s+)?(?:from|de)\s+" + _COUNTRY + r"\s*(?=[.;:!?\n,)]|$)",
          clause=True),
    # "born in Mexico", "nació en Honduras"
    _Rule("born nacio nacido nacida", _alt(r"born\s+in", r"nació\s+en", r"nacid[oa]\s+en") + r"\s+" + _COUNTRY + _END),
    # "is Guatemalan", "es mexicana" (subject checked; not "is Spanish-speaking", "es comida mexicana")
    _Rule(_COPULA_WORDS, _COPULA + _MODS + _ART + r"\s+" + _DEMONYM + _END + _NOT_FOOD_OR_LANGUAGE, subject=True),
    # "a Mexican citizen", "Guatemalan national", "ciudadano hondureño": one person (plural and
    # "Mexican citizenship", "Mexican national parks" are topics)
    _Rule(" ".join(_stem(d) + "*" for d in DEMONYMS),
          _DEMONYM + r"\s+(?:citizen|national(?!\s+" + _alt(
              "parks?", "anthem", "team", "holidays?", "museum", "library", "archives?", "geographic", "guard", "dish",
              "monuments?", "day", "dances?", "costumes?", "history", "symbols?") + r"(?!\w)))" + _END),
    _Rule("ciudadano ciudadana", r"ciudadan[oa]\s+" + _DEMONYM + _END),
    _Rule("citizen national ciudadano ciudadana nationality nacionalidad country pais",
          _alt(r"citizen\s+of", r"national\s+of", r"ciudadan[oa]\s+de", r"nationality", r"nacionalidad",
               r"national\s+origin", r"origen\s+nacional", r"country\s+of\s+origin", r"país\s+de\s+origen",
               r"country\s+of\s+birth", r"país\s+de\s+nacimiento")
          + r"\s*[:=-]?\s*(?:is\s+|es\s+)?(?:" + _COUNTRY + "|" + _DEMONYM + ")" + _END),
)

# --- health -----------------------------------------------------------------------------------

_CONDITION = _alt(
    r"hiv(?:\s*\+|\s*-?\s*positive)?", r"(?-i:AIDS)", "cancer", "leukemia", "diabetes", "diabetic", "pregnant",
    "pregnancy", "depression", "bipolar", r"schizophreni(?:a|c)", "ptsd", r"post-?traumatic\s+stress",
    r"anxiety\s+disorder", r"mental\s+illness", r"mentally\s+ill", "dementia", r"alzheimer['’]?s", r"epilep(?:sy|tic)",
    r"autis(?:m|tic)", r"hepatitis(?:\s+[abc])?", "tuberculosis", r"(?-i:TB)", r"(?-i:STDs?)", r"(?-i:STIs?)",
    "addiction", r"(?:drug\s+)?addict", "alcoholic", "alcoholism", "suicidal", r"chemo(?:therapy)?", "dialysis",
    r"terminally\s+ill", r"heart\s+disease", r"multiple\s+sclerosis", r"parkinson['’]?s", r"covid(?:-19)?\s*positive",
    r"eating\s+disorder", r"anorexi[ac]", r"bulimi[ac]",
    "vih", r"(?-i:SIDA)", "cáncer", "leucemia", r"diabétic[oa]", "embarazada", "embarazo", "depresión",
    r"esquizofréni(?:a|co|ca)", r"estrés\s+postraumático", "demencia", "epilepsia", r"epiléptic[oa]", "autismo",
    "autista", "adicción", r"adict[oa]", r"alcohólic[oa]", "alcoholismo", "quimioterapia", "quimio", "diálisis",
    r"enfermedad\s+mental", r"enferm[oa]\s+mental", r"enfermedad\s+terminal", "suicida",
)
_HAS_CONDITION = _alt("has", "had", "have", "having", "got", r"suffers\s+from", r"suffering\s+from",
                      r"(?:was\s+|been\s+)?diagnosed\s+with", r"(?:being\s+)?treated\s+for", r"living\s+with",
                      r"recovering\s+from", r"receiving", "tiene", "tenía", "tienen",
                      "padece", "padecía", r"sufre\s+de", r"diagnosticad[oa]\s+(?:con|de)",
                      r"en\s+tratamiento\s+(?:de|por|para)", r"vive\s+con", r"se\s+recupera\s+de", "recibe")
_CONDITION_ADJ = _alt("pregnant", "diabetic", "autistic", "epileptic", "bipolar", "schizophrenic", "alcoholic",
                      r"hiv\s*-?\s*positive", r"hiv\+", "suicidal")
_CONDITION_ADJ_ES = _alt("embarazada", r"diabétic[oa]", "autista", r"epiléptic[oa]", "bipolar",
                         r"esquizofrénic[oa]", r"alcohólic[oa]", "suicida", r"con\s+vih", r"con\s+cáncer")

_HEALTH_TOPIC_AFTER = (r"(?!\s+" + _alt("epidemic", "awareness", "prevention", "research", "month", "screenings?",
                                          "support", "education", "testing", "tests?", "walk", "fundraiser",
                                          "survivors?", "clinics?", "cookbooks?", "prevención", "investigación",
                                          "apoyo", "educación", "pruebas?", "mes")
                       + r"(?!\w))")

_HEALTH_RULES = (
    # "is pregnant", "is an alcoholic", "está embarazada", "is on dialysis" (subject checked)
    _Rule(_COPULA_WORDS, _COPULA + _MODS + _ART + r"(?:\s+(?:on|in))?\s+" + _CONDITION + _END + _HEALTH_TOPIC_AFTER,
          subject=True),
    # "has HIV", "was diagnosed with cancer", "tiene VIH", "living with HIV" (subject checked)
    _Rule("has had have having got suffers suffering was been diagnosed being treated living recovering receiving "
          "tiene tenia tienen padece padecia sufre diagnosticado diagnosticada en vive se recibe",
          _HAS_CONDITION + _DET + r"\s+" + _CONDITION + _END + _TOPIC_AFTER + _HEALTH_TOPIC_AFTER, subject=True),
    # "her cancer", "his HIV status", "su embarazo"
    _Rule(_POSSESSIVE_WORDS,
          r"(?:" + _POSSESSIVE + "|" + _PERSONS + ")" + _ADJ + r"\s+" + _CONDITION + _END + _TOPIC_AFTER),
    # "pregnant patron", "diabetic man"; "usuaria embarazada" (singular)
    _Rule("pregnant diabetic autistic epileptic bipolar schizophrenic alcoholic hiv suicidal",
          _CONDITION_ADJ + r"\s+" + _PERSON_NOUN + r"(?![\w-])"),
    _Rule(_PERSON_WORDS, _PERSON_NOUN + r"\s+" + _CONDITION_ADJ_ES + _END),
)




_IMMIGRATION_WORDS = _Words(lexicon.IMMIGRATION_WORDS)
_ORIGIN_WORDS = _Words(
    " ".join(w for c in COUNTRIES for w in re.findall(r"[^\W\d_]{2,}", _plain(c)) if w not in lexicon.COUNTRY_FILLER)
    + " u us usa ee " + " ".join(_stem(d) + "*" for d in DEMONYMS))
_HEALTH_WORDS = _Words(lexicon.HEALTH_WORDS)

FAMILIES = ("immigration", "national_origin", "health")
_FAMILY_WORDS = (_IMMIGRATION_WORDS, _ORIGIN_WORDS, _HEALTH_WORDS)
_RULES = [(family, rule) for family, rules in enumerate((_IMM_RULES, _ORIGIN_RULES, _HEALTH_RULES)) for rule in rules]


@functools.lru_cache(maxsize=1 << 16)
def _roles(word: str) -> tuple[int, tuple[int, ...]]:
    """(families whose words include ``word``, as bits; rules that may start at it). Cached:
    the vocabulary of desk notes is small, and this is most of the cost of a scan."""
    families = sum(1 << n for n, words in enumerate(_FAMILY_WORDS) if word in words)
    return families, tuple(n for n, (_, rule) in enumerate(_RULES) if word in rule.anchors)


def _starts(text: str, plain: str, word: str):
    """Where ``word`` stands as a whole word ("'s": where its apostrophe is)."""
    if word[0] == "'":
        for apostrophe in "'’":
            at = text.find(apostrophe + word[1:])
            while at > 0:
                end = at + len(word)
                if end >= len(plain) or not plain[end].isalpha():
                    yield at
                at = text.find(apostrophe + word[1:], at + 1)
        return
    at = plain.find(word)
    while at >= 0:
        end = at + len(word)
        if (at == 0 or not plain[at - 1].isalpha()) and (end >= len(plain) or not plain[end].isalpha()):
            yield at
        at = plain.find(word, at + 1)


def find(text: str, families: tuple[str, ...] = FAMILIES) -> dict[str, list[tuple[int, int]]]:
    """Spans, per family, that state a person's immigration status ("is undocumented", "her
    asylum case"), where a person is from ("from Guatemala", "is Honduran", "born in
    Mexico") or their health ("has HIV", "is pregnant", "her cancer")."""
    out: dict[str, list[tuple[int, int]]] = {f: [] for f in families}
    if not text:
        return out
    plain = _plain_text(text)
    vocab = set(_TOKEN.findall(plain))
    present, anchors = 0, []
    for word in vocab:  # most notes stop here: none of a family's words
        bits, rules = _roles(word)
        present |= bits
        if rules:
            anchors.append(word)
    anchors += ["'" + w for w in _CONTRACTIONS & vocab]
    wanted = {n for n, f in enumerate(FAMILIES) if f in out and present & (1 << n)}
    if not wanted:
        return out
    tried: dict[int, list] = {n: [] for n in wanted}
    for word in anchors:
        rules = tuple(i for i in _roles(word)[1] if _RULES[i][0] in wanted)
        if rules:
            for start in _starts(text, plain, word):
                for i in rules:
                    tried[_RULES[i][0]].append((i, start))
    for n in wanted:
        tried[n].sort()  # rule order first: the first rule to match a span names it
        out[FAMILIES[n]] = _find(text, [(_RULES[i][1], start) for i, start in tried[n]])
    return out
