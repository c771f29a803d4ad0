"""The words ``person_status`` works with: who a person is, what is not one, countries,
demonyms, and the words a family's rules need to be worth trying. Data only, in English and
Spanish; accents are optional where they are matched, and the entries of COUNTRIES and
DEMONYMS are regular-expression fragments ("u\\.s\\.", "mexican[oa]")."""

POSSESSIVES = ("his", "her", "their", "my", "your", "su", "sus", "mi", "mis", "tu", "tus")
PERSONS = (
    "patron", "patrona", "customer", "client", "cliente", "user", "usuario", "usuaria", "cardholder", "borrower",
    "man", "woman", "boy", "girl", "kid", "child", "teen", "student", "mother", "father", "mom", "dad", "parent",
    "husband", "wife", "daughter", "brother", "sister", "grandmother", "grandfather", "grandma", "grandpa", "aunt",
    "uncle", "cousin", "family", "señora", "señor", "señorita", "hombre", "mujer", "niño", "niña", "chico", "chica",
    "madre", "padre", "mamá", "papá", "esposo", "esposa", "marido", "hijo", "hija", "hermano", "hermana", "abuelo",
    "abuela", "tío", "tía", "primo", "prima", "familia", "estudiante",
)
PRONOUNS = ("he", "she", "they", "él", "ella", "ellos", "ellas")

# A subject (the word before the anchor) that makes the phrase generic, hypothetical or
# not about a person: "if you are undocumented", "people who are", "the book is Mexican".
NOT_A_PERSON = """
you we one someone somebody anyone anybody people persons person those whoever everyone immigrants families
about on regarding re for sobre acerca de para who que quien quienes what which
usted ustedes alguien uno personas cualquiera todos nosotros eres estas
it this that these esto eso ello
library branch book books title titles novel film movie documentary dvd author food cuisine dish recipe recipes
language program class workshop session talk lecture meeting event presentation display exhibit group webinar
seminar music art story song show series issue topic question law laws item items shipment package box order
copy copies donation donations today tonight week month year city county state country government nation world
biblioteca libro libros titulo novela pelicula documental autor autora comida receta idioma lengua programa clase
taller sesion charla evento grupo reunion exhibicion musica arte historia cuento cancion tema pregunta ley leyes
pedido paquete caja copia donacion reserva prestamo multa tarjeta envio material articulo revista periodico
hold holds loan loans fine card request magazine newspaper material materials
"""

COUNTRIES = (
    "afghanistan", "albania", "algeria", "angola", "argentina", "armenia", "australia", "austria", "azerbaijan",
    "bangladesh", "belarus", "belize", "benin", "bhutan", "bolivia", "bosnia", "brazil", "bulgaria", "burkina faso",
    "burma", "burundi", "cambodia", "cameroon", "canada", "cape verde", "chad", "chile", "china", "colombia", "congo",
    "costa rica", "croatia", "cuba", "czechia", "dominican republic", "ecuador", "egypt", "el salvador", "eritrea",
    "ethiopia", "fiji", "france", "gambia", "germany", "ghana", "greece", "guatemala", "guinea", "guyana", "haiti",
    "honduras", "hong kong", "hungary", "india", "indonesia", "iran", "iraq", "ireland", "israel", "italy",
    "ivory coast", "jamaica", "japan", "jordan", "kazakhstan", "kenya", "korea", "north korea", "south korea",
    "kosovo", "kyrgyzstan", "laos", "lebanon", "liberia", "libya", "mali", "mauritania", "mexico", "moldova",
    "mongolia", "morocco", "mozambique", "myanmar", "nepal", "nicaragua", "niger", "nigeria", "pakistan",
    "palestine", "panama", "paraguay", "peru", "philippines", "poland", "portugal", "puerto rico", "romania",
    "russia", "rwanda", "samoa", "saudi arabia", "senegal", "serbia", "sierra leone", "somalia", "south africa",
    "south sudan", "spain", "sri lanka", "sudan", "syria", "taiwan", "tajikistan", "tanzania", "thailand", "tibet",
    "togo", "tonga", "trinidad", "tunisia", "turkey", "turkmenistan", "uganda", "ukraine", "united kingdom",
    "united states", "usa", r"u\.s\.a?\.?", r"the\s+us", "uruguay", "uzbekistan", "venezuela", "vietnam", "yemen", "zambia",
    "zimbabwe", "marshall islands", "micronesia",
    # Spanish names that differ
    "afganistán", "argelia", "bélgica", "belice", "brasil", "camboya", "camerún", "canadá", "corea", "egipto",
    "eritrea", "etiopía", "españa", "estados unidos", "ee\\.? ?uu\\.?", "filipinas", "francia", "haití", "irak",
    "irán", "italia", "jamaica", "japón", "líbano", "marruecos", "méxico", "mejico", "nicaragua", "panamá", "perú",
    "polonia", "reino unido", "república dominicana", "rusia", "siria", "somalia", "sudáfrica", "tailandia",
    "turquía", "ucrania", "venezuela", "yemen",
)
DEMONYMS = (
    "mexican", "guatemalan", "salvadoran", "salvadorean", "honduran", "nicaraguan", "costa rican", "panamanian",
    "cuban", "dominican", "puerto rican", "haitian", "jamaican", "venezuelan", "colombian", "ecuadorian",
    "peruvian", "bolivian", "chilean", "argentine", "argentinian", "uruguayan", "paraguayan", "brazilian",
    "canadian", "american", "chinese", "indian", "pakistani", "bangladeshi", "nepali", "nepalese", "filipino",
    "filipina", "vietnamese", "korean", "japanese", "thai", "cambodian", "laotian", "hmong", "burmese", "afghan",
    "iranian", "iraqi", "syrian", "lebanese", "palestinian", "israeli", "yemeni", "saudi", "egyptian", "moroccan",
    "algerian", "sudanese", "somali", "ethiopian", "eritrean", "kenyan", "ugandan", "congolese", "nigerian",
    "ghanaian", "senegalese", "cameroonian", "ukrainian", "russian", "polish", "romanian", "turkish", "armenian",
    "italian", "german", "french", "british", "irish", "portuguese", "greek", "albanian", "bosnian", "serbian",
    "uzbek", "tibetan", "indonesian", "samoan", "tongan", "marshallese", "micronesian",
    # Spanish (masculine and feminine)
    "mexican[oa]", "guatemaltec[oa]", "salvadoreñ[oa]", "hondureñ[oa]", "nicaragüense", "costarricense",
    "panameñ[oa]", "cuban[oa]", "dominican[oa]", "puertorriqueñ[oa]", "haitian[oa]", "venezolan[oa]",
    "colombian[oa]", "ecuatorian[oa]", "peruan[oa]", "bolivian[oa]", "chilen[oa]", "argentin[oa]", "uruguay[oa]",
    "paraguay[oa]", "brasileñ[oa]", "estadounidense", "canadiense", "chin[oa]", "filipin[oa]", "vietnamita",
    "corean[oa]", "afgan[oa]", "siri[oa]", "iraquí", "iraní", "somalí", "etíope", "eritre[oa]", "sudanés", "sudanesa",
    "nigerian[oa]", "ucranian[oa]", "rus[oa]", "español[a]?",
)

# Words that must occur for a family's rules to be worth trying ("*": any word it begins).
IMMIGRATION_WORDS = (
    "undocumented illegal* asylum* asylee* refugee* immigra* migrant* dreamer* daca tps green greencard* visa* "
    "permanent lpr* noncitizen* citizen* overstay* status papers documents deport* removal ice naturali* alien permit "
    "indocumentad* ilegal* papeles documentos refugiad* asilad* asilo solicitante* inmigra* migrante* residen* "
    "ciudadan* deporta* permiso verde migratori* migra detenid*")
HEALTH_WORDS = (
    "hiv aids cancer leukemi* diabet* pregnan* depressi* bipolar schizophren* ptsd traumatic anxiety mental* dementia "
    "alzheimer* epilep* autis* hepatitis tuberculosis tb std stds sti stis addict* alcoholi* suicid* chemo* dialysis "
    "terminally heart sclerosis parkinson* covid anorexi* bulimi* eating vih sida leucemi* embaraz* depresion "
    "esquizofren* estres postraumatico demencia adicci* adict* quimio* dialisis enferm*")
# Words of country names that say nothing on their own ("united", "south").
COUNTRY_FILLER = frozenset({"the", "el", "la", "de", "of", "and", "south", "north", "united", "new", "islands", "coast",
                            "cape", "sierra", "costa", "san", "reino", "republica", "republic", "ee", "uu"})
