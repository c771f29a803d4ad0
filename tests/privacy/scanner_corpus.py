"""A labelled corpus of synthetic desk notes for the scanner (pure, deterministic).

``generate(n, seed)`` returns notes in English and Spanish, about half of them
holding one or two high-risk items (every kind of ``scanner.KINDS``, in the
forms staff actually type), the rest only harmless text. Every note also
carries decoys that look like numbers the scanner must leave alone: ZIP+4
codes, ISBN-10 and ISBN-13 (with and without hyphens), 14-digit library card
and item barcodes, invalid SSNs (area 000/666, group 00, serial 0000), numbers
that are not North American phone numbers, dates, times, prices, call
numbers; and words that are not about anyone's status: "paid with a Visa
card", the novel *Refugee*, the film *Green Card*, *Arkham Asylum*, and topics
that name a country or an illness without saying anything about a person
("Stories from Guatemala", "books on diabetes", "Mexican cookbook").

Each labelled span is ``(kind, start, end)``. All numbers are random; the
emails use reserved or common domains; nobody real is described.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

AREAS = ("707", "415", "510", "212", "305", "503", "206", "312", "713", "602", "916", "323")


@dataclass
class Note:
    text: str = ""
    spans: list[tuple[str, int, int]] = field(default_factory=list)

    def add(self, piece: str, kind: str | None = None) -> None:
        if self.text:
            self.text += " "
        if kind is None:
            self.text += piece
            return
        # the labelled value is between two NUL characters: "SSN \0123-45-6789\0."
        before, value, after = piece.split("\x00")
        start = len(self.text) + len(before)
        self.text += before + value + after
        self.spans.append((kind, start, start + len(value)))


FILLER_EN = (
    "Patron asked to renew two items.", "Left a voicemail about the hold.", "Needs help printing a resume.",
    "Came in for the tax help session.", "Asked about the bilingual story time.", "Wants a reminder before the due date.",
    "Returned the laptop with the charger.", "Book club copies are on the shelf.", "Follow up about the lost item fee.",
    "Asked for the community resources list.", "Interested in the job search workshop.", "Printer jammed twice today.",
)
FILLER_ES = (
    "Pidió renovar dos libros.", "Dejó un mensaje sobre su reserva.", "Necesita ayuda para imprimir su currículum.",
    "Vino a la sesión de ayuda con impuestos.", "Preguntó por la hora del cuento bilingüe.",
    "Quiere un recordatorio antes de la fecha de entrega.", "Devolvió la computadora portátil.",
    "Regresa el martes para la clase de computación.", "Pidió la lista de recursos comunitarios.",
)


def _ssn(rng: random.Random) -> tuple[str, str, str]:
    while True:
        area = rng.randint(1, 899)
        if area != 666:
            break
    return f"{area:03d}", f"{rng.randint(1, 99):02d}", f"{rng.randint(1, 9999):04d}"


def _itin(rng: random.Random) -> tuple[str, str, str]:
    group = rng.choice([*range(50, 66), *range(70, 89), 90, 91, 92, *range(94, 100)])
    return f"9{rng.randint(0, 99):02d}", f"{group:02d}", f"{rng.randint(1, 9999):04d}"


def _digits(rng: random.Random, n: int) -> str:
    return str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))


def _phone_parts(rng: random.Random) -> tuple[str, str, str]:
    while True:
        exchange = f"{rng.randint(200, 999)}"
        if exchange[1:] != "11" and exchange != "555":
            break
    return rng.choice(AREAS), exchange, f"{rng.randint(0, 9999):04d}"


def _positive(rng: random.Random, kind: str, spanish: bool) -> str:
    """A sentence with one labelled value (marked with NUL characters)."""
    def m(template: str, value: str) -> str:
        return template.replace("{}", "\x00" + value + "\x00", 1)

    if kind == "ssn":
        a, g, s = _ssn(rng)
        form = rng.random()
        if form < 0.6:
            value = f"{a}-{g}-{s}"
        elif form < 0.8:
            value = f"{a}{g}{s}"
        else:
            value = f"{a} {g} {s}"
        templates = (["Su número de seguro social es {}.", "Dio su seguro social {} para el formulario."] if spanish
                     else ["Patron wrote her SSN {} on the form.", "Social security number {} given for the job form."])
        if form < 0.6:
            templates += ["Dejó anotado {} en la hoja."] if spanish else ["Wrote {} on the sign-up sheet."]
        return m(rng.choice(templates), value)
    if kind == "itin":
        a, g, s = _itin(rng)
        value = f"{a}-{g}-{s}" if rng.random() < 0.75 else f"{a}{g}{s}"
        return m(rng.choice(["Su ITIN es {}.", "Número de contribuyente {} para los impuestos."] if spanish
                            else ["ITIN {} for the tax clinic.", "Taxpayer id {} noted for the appointment."]), value)
    if kind == "a_number":
        d = _digits(rng, 9)
        form = rng.random()
        if form < 0.4:
            value = f"A{d}"
        elif form < 0.7:
            value = f"A-{d[:3]}-{d[3:6]}-{d[6:]}"
        elif form < 0.85:
            value = f"A# {d}"
        else:
            value = f"A{_digits(rng, 8)}"
            return m(rng.choice(["Su número A es {}.", "Registro de extranjero {}."] if spanish
                                else ["A-number {} on his letter.", "Alien registration {} on the copy."]), value)
        return m(rng.choice(["Trajo una carta con el número {}.", "Número A {} en el sobre."] if spanish
                            else ["Brought a letter with {} on it.", "Alien number {} on the envelope."]), value)
    if kind == "passport":
        value = _digits(rng, 9) if rng.random() < 0.6 else rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") + _digits(rng, 8)
        return m(rng.choice(["Mostró su pasaporte {}.", "Pasaporte número {} para la tarjeta."] if spanish
                            else ["Showed passport {} as ID.", "Passport no. {} used for the card."]), value)
    if kind == "phone":
        a, x, n = _phone_parts(rng)
        form = rng.random()
        value = (f"({a}) {x}-{n}" if form < 0.3 else f"{a}-{x}-{n}" if form < 0.6 else f"{a}.{x}.{n}" if form < 0.75
                 else f"+1 {a} {x} {n}" if form < 0.88 else f"{a}{x}{n}")
        if form >= 0.88:
            return m(rng.choice(["Llamar al celular {}.", "Teléfono {} para avisar."] if spanish
                                else ["Call her cell {} when it arrives.", "Phone {} for the hold."]), value)
        return m(rng.choice(["Su número es {} por la tarde.", "Deja recado en {}."] if spanish
                            else ["Reach him at {} after 5.", "Best number is {} evenings."]), value)
    if kind == "email":
        user = rng.choice(["maria", "j.lopez", "tran.minh", "ahmed_k", "li.wei", "rosa22", "k.smith"])
        value = f"{user}{rng.randint(1, 999)}@{rng.choice(['example.org', 'gmail.com', 'yahoo.com.mx', 'mail.example.net'])}"
        return m(rng.choice(["Escribirle a {}.", "Correo {} para la lista."] if spanish
                            else ["Email {} about the program.", "Send the form to {}."]), value)
    if kind == "national_origin":
        return _origin(rng, spanish, m)
    if kind == "health":
        return _health(rng, spanish, m)
    words_en = ("undocumented", "asylum", "refugee", "DACA", "TPS", "visa", "deportation", "green card", "USCIS",
                "immigration status", "work permit")
    words_es = ("indocumentado", "sin papeles", "asilo", "refugiada", "DACA", "estatus migratorio", "deportación",
                "tarjeta verde", "permiso de trabajo", "visa")
    if spanish:
        word = rng.choice(words_es)
        return m(rng.choice(["Comentó que es {} y tiene miedo.", "Preguntó por su caso de {} en la oficina.",
                             "Dijo que su esposo está {}." if word in ("indocumentado", "sin papeles") else
                             "Mencionó su {} pendiente."]), word)
    word = rng.choice(words_en)
    return m(rng.choice(["Patron said she is {} and worried.", "Asked for help with the {} paperwork.",
                         "Mentioned her {} appointment next week.", "His {} came up while filling the form."]), word)


ORIGINS = (("Guatemala", "Guatemalan", "guatemalteca"), ("Honduras", "Honduran", "hondureña"),
           ("El Salvador", "Salvadoran", "salvadoreña"), ("Mexico", "Mexican", "mexicana"),
           ("Venezuela", "Venezuelan", "venezolana"), ("Haiti", "Haitian", "haitiana"),
           ("Afghanistan", "Afghan", "afgana"), ("Ukraine", "Ukrainian", "ucraniana"), ("Somalia", "Somali", "somalí"),
           ("Cuba", "Cuban", "cubana"), ("Nicaragua", "Nicaraguan", "nicaragüense"), ("China", "Chinese", "china"))
CONDITIONS_EN = ("HIV", "diabetes", "cancer", "epilepsy", "dementia", "hepatitis C", "tuberculosis")
CONDITIONS_ES = ("VIH", "diabetes", "cáncer", "epilepsia", "demencia", "tuberculosis")


def _origin(rng: random.Random, spanish: bool, m) -> str:
    country, demonym, demonym_es = rng.choice(ORIGINS)
    if spanish:
        spanish_country = {"Mexico": "México", "Haiti": "Haití", "Afghanistan": "Afganistán",
                           "Ukraine": "Ucrania"}.get(country, country)
        return rng.choice([m("Dijo que es {}.", f"de {spanish_country}"), m("La señora es {}.", demonym_es),
                           m("Comentó que {} y llegó hace poco.", f"nació en {spanish_country}"),
                           m("Su esposo {} el año pasado.", f"vino de {spanish_country}")])
    return rng.choice([m("Patron said she is {}.", f"from {country}"), m("Patron is {} and new in town.", demonym),
                       m("Wrote that he was {}.", f"born in {country}"), m("Her family {} last year.",
                                                                          f"came from {country}"),
                       m("Mother is a {} and asked about ESL.", f"{demonym} citizen")])


def _health(rng: random.Random, spanish: bool, m) -> str:
    if spanish:
        condition = rng.choice(CONDITIONS_ES)
        return rng.choice([m("{} y pidió ayuda con la computadora.", f"Tiene {condition}"),
                           m("La usuaria {} y necesita una silla.", "está embarazada"),
                           m("Habló de {} en el mostrador.", f"su {rng.choice(['embarazo', 'cáncer', 'depresión'])}")])
    condition = rng.choice(CONDITIONS_EN)
    return rng.choice([m("Patron {} and asked for large print.", f"has {condition}"),
                       m("She {} and needs a chair at story time.", f"is {rng.choice(['pregnant', 'diabetic'])}"),
                       m("Mentioned {} diagnosis at the desk.", f"his {rng.choice(['cancer', 'HIV', 'depression'])}"),
                       m("Was {} last month.", f"diagnosed with {condition}")])


def _decoy(rng: random.Random, spanish: bool) -> str:
    a, g, s = _ssn(rng)
    choices = [
        f"Mailing list ZIP {rng.randint(90000, 99999)}-{rng.randint(1000, 9999)}.",
        f"ISBN 978-{rng.randint(0, 1)}-{rng.randint(100, 999)}-{rng.randint(10000, 99999)}-{rng.randint(0, 9)} on order.",
        f"ISBN {'978' + _digits(rng, 10)} requested.",
        f"ISBN {rng.randint(0, 1)}-{rng.randint(100, 999)}-{rng.randint(10000, 99999)}-{rng.randint(0, 9)} damaged.",
        f"Card {21000000000000 + rng.randint(1, 99999999)} renewed.",
        f"Item {31000000000000 + rng.randint(1, 99999999)} missing a disc.",
        f"Barcode {_digits(rng, 10)} relabelled.",
        f"Form number {rng.choice(['000', '666'])}-{g}-{s} is a sample.",
        f"Sample code {a}-00-{s} printed on the flyer.",
        f"Ticket {a}-{g}-0000 closed.",
        f"Room {rng.randint(100, 400)} booked 10:30 to 11:45 on 2024-03-{rng.randint(10, 28)}.",
        f"Fine of ${rng.randint(1, 20)}.{rng.randint(10, 99)} paid with a Visa card.",
        f"Call number {rng.randint(100, 999)}.{rng.randint(1, 99)} GRA shelved.",
        "Returned the novel Refugee by Alan Gratz.", "Asked for the film Green Card on DVD.",
        "Arkham Asylum graphic novel on hold.", f"Order 123-456-{rng.randint(1000, 9999)} from the vendor.",
        f"Count was {rng.randint(10, 99)} people, {rng.randint(1, 9)} staff.",
        "Asked for books on diabetes.", "Stories from Guatemala flyer is up.", "Mexican cookbook on hold.",
        "Cancer awareness walk poster at the door.", "Travel guide to Honduras requested.",
        "HIV testing clinic brochure restocked.", "Display of Haitian art in the lobby.",
    ]
    if spanish:
        choices += ["Pagó la multa con tarjeta Visa.", "Devolvió el libro Refugiados de la colección juvenil.",
                    "Pidió libros sobre la diabetes.", "Reservó un libro de cocina mexicana.",
                    f"Código de barras {_digits(rng, 10)} cambiado."]
    return rng.choice(choices)


def generate(n: int = 3000, seed: int = 7) -> list[Note]:
    from quietdesk.privacy.audit_report.scanner import KINDS

    rng = random.Random(seed)  # noqa: S311 (synthetic test data)
    notes = []
    for i in range(n):
        spanish = rng.random() < 0.35
        filler = FILLER_ES if spanish else FILLER_EN
        note = Note()
        pieces: list[tuple[str, str | None]] = [(rng.choice(filler), None), (_decoy(rng, spanish), None)]
        if i % 2 == 0:
            for kind in rng.sample(KINDS, rng.choice((1, 1, 2))):
                pieces.append((_positive(rng, kind, spanish), kind))
        if rng.random() < 0.5:
            pieces.append((_decoy(rng, spanish), None))
        if rng.random() < 0.4:
            pieces.append((rng.choice(filler), None))
        rng.shuffle(pieces)
        for text, label in pieces:
            note.add(text, label)
        notes.append(note)
    return notes


def evaluate(notes: list[Note], detect) -> dict[str, dict[str, float | None]]:
    """Per kind: precision and recall of ``detect(text) -> [(kind, start, end)]`` against the labels.

    A labelled span is found when a detection of the same kind overlaps it; a
    detection is correct when it overlaps a labelled span of its kind.
    """
    from quietdesk.privacy.audit_report.scanner import KINDS

    stats = {k: {"labelled": 0, "found": 0, "detected": 0, "correct": 0} for k in KINDS}
    for note in notes:
        found = [d for d in detect(note.text) if d[0] in stats]
        for kind, start, end in note.spans:
            stats[kind]["labelled"] += 1
            if any(d[0] == kind and d[1] < end and start < d[2] for d in found):
                stats[kind]["found"] += 1
        for kind, start, end in found:
            stats[kind]["detected"] += 1
            if any(s[0] == kind and s[1] < end and start < s[2] for s in note.spans):
                stats[kind]["correct"] += 1
    out: dict[str, dict[str, float | None]] = {}
    for kind, s in stats.items():
        out[kind] = {
            "labelled": s["labelled"],
            "recall": round(s["found"] / s["labelled"], 4) if s["labelled"] else None,
            "precision": round(s["correct"] / s["detected"], 4) if s["detected"] else None,
        }
    return out
