"""Suggested content for a new library's guide, and the demo library's own.

``load_defaults()`` fills only what the library has left empty: talking points and
self-care (from the ICE response protocol) and national resources named in the
protocol. Numbers change: a library checks each entry before printing it.
``seed_demo()`` adds the demo library's (fictional) contacts, areas and a local
legal-aid entry. Both are idempotent.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from .models import Contact, DeskPrompt, Note, Resource, Zone

TALKING_POINTS = [
    ("Why the library protects patron privacy",
     "Privacy is essential to free inquiry: people must be able to read and ask without fear of "
     "surveillance, punishment or judgment. The confidentiality policy protects every patron, "
     "whatever their age, origin or immigration status. Records are shared only as the policy "
     "allows. The library gives records to police or immigration officers only when an order or "
     "warrant signed by a judge requires it, or when the library director and the library's lawyer "
     "conclude that the law compels it to answer a subpoena; and then only what the document names."),
    ("With management and local government",
     "Press for clear, written protocols for officers on site: which areas are public and which are "
     "not, who staff call, and what they write down. Ask about parking lots and nearby areas where "
     "patrons could be at risk going to and from the library."),
    ("With your department",
     "Ask for plans specific to your department rather than relying on institution-wide guidance. "
     "If officers enter the library, whom can staff call besides the police? The manager, the "
     "director? Be specific. How will workers, including colleagues on visas, be supported?"),
    ("With fellow workers",
     "Start from shared concerns: what are we worried about, what is within our power to change, and "
     "if it is not, whom can we ask to act?"),
    ("With the public",
     "People will have opinions about the library's response, in either direction. Staff can say: "
     "the library follows its confidentiality policy for every patron, and the director can explain it."),
    ("Why it matters beyond immigration",
     "Large collections of data let agencies follow people's movements, reading and communications "
     "without a warrant. Intellectual freedom is indivisible: when one group's reading is watched, "
     "everyone's is."),
]

SELF_CARE = [
    ("Make a crisis plan before you need it",
     "Write down the people in your personal support system and the professionals you can turn to in "
     "a mental-health emergency. Keep it somewhere you can reach quickly."),
    ("Check who is listening",
     "If you use mental-health resources provided by your employer, check whether they are "
     "confidential and who may be a mandated reporter."),
    ("Crisis support",
     "988 Suicide & Crisis Lifeline: call or text 988, or chat at 988lifeline.org. Free, "
     "confidential, 24 hours a day, in English and Spanish."),
    ("Community care",
     "Care practices guides from the Latinx Therapists Action Network (English and Spanish), the "
     "UndocuHealth resilience and community care toolkit, and guided meditations from UCLA Health "
     "(audio and text, in several languages)."),
    ("After a hard day",
     "When something has gone wrong, it is all right to stop and regroup before the next step. Talk "
     "with colleagues you trust; you do not have to carry it alone."),
]

# (kind, name, phone, url, email, languages, {language: description})
NATIONAL_RESOURCES = [
    (Resource.Kind.HOTLINE, "United We Dream: report a raid", "1-844-363-1423 (text 877877)", "", "",
     ["en", "es"], {"en": "National hotline to report immigration raids and get help.",
                    "es": "Línea nacional para reportar redadas de inmigración y pedir ayuda."}),
    (Resource.Kind.LEGAL, "American Immigration Lawyers Association: lawyer referral", "1-800-954-0254", "", "",
     ["en", "es"], {"en": "Referrals to immigration lawyers.",
                    "es": "Referencias a abogados de inmigración."}),
    (Resource.Kind.LEGAL, "Immigrant Defense Project: criminal-immigration helpline", "212-725-6422", "", "",
     ["en", "es"], {"en": "For people with criminal charges or convictions. Leave a voicemail with a name "
                          "and number.",
                    "es": "Para personas con cargos o condenas penales. Deje un mensaje de voz con un "
                          "nombre y un número."}),
    (Resource.Kind.IMMIGRATION, "Immigration court case status (EOIR)", "1-800-898-7180", "", "",
     ["en", "es"], {"en": "Automated line to check the status of a case in immigration court.",
                    "es": "Línea automática para consultar el estado de un caso en la corte de inmigración."}),
    (Resource.Kind.IMMIGRATION, "National Immigration Legal Services Directory", "",
     "https://www.immigrationadvocates.org/legaldirectory/", "", ["en"],
     {"en": "Find nonprofit immigration legal services near you.",
      "es": "Encuentre servicios legales de inmigración sin fines de lucro cerca de usted."}),
    (Resource.Kind.PRIVACY, "Access Now Digital Security Helpline", "", "", "help@accessnow.org",
     ["en", "es", "fr", "ar", "ru"],
     {"en": "Free help with digital security: phones, accounts, surveillance.",
      "es": "Ayuda gratuita con la seguridad digital: teléfonos, cuentas, vigilancia."}),
    (Resource.Kind.PRIVACY, "Surveillance Self-Defense (EFF)", "", "https://ssd.eff.org/", "", ["en", "es"],
     {"en": "Guides to protecting yourself and your friends from online surveillance.",
      "es": "Guías para protegerse usted y a sus amigos de la vigilancia en línea."}),
    (Resource.Kind.SUPPORT, "988 Suicide & Crisis Lifeline", "988", "https://988lifeline.org/", "", ["en", "es"],
     {"en": "Free and confidential support, 24 hours a day: call, text or chat.",
      "es": "Apoyo gratuito y confidencial, las 24 horas: llame, envíe un texto o chatee."}),
]

DEMO_CONTACTS = [
    (Contact.Kind.DIRECTOR, "Dana Whitfield (demo)", "555-0100", "555-0101", "director@library.invalid", 10),
    (Contact.Kind.DESIGNEE, "Luis Ortega, deputy director (demo)", "555-0102", "555-0103", "", 20),
    (Contact.Kind.COUNSEL, "County Counsel's office (demo)", "555-0110", "555-0111", "counsel@county.invalid", 30),
    (Contact.Kind.HOTLINE, "Riverside Rapid Response Network (demo)", "555-0142", "555-0142", "", 40),
    (Contact.Kind.LEGAL_AID, "Riverside Immigrant Legal Aid (demo)", "555-0150", "", "help@legalaid.invalid", 50),
]

# (branch code or None, name, kind, note)
DEMO_ZONES = [
    ("central", "Reading room and stacks", Zone.Kind.PUBLIC, ""),
    ("central", "Children's area", Zone.Kind.PUBLIC, ""),
    ("central", "Public computers", Zone.Kind.PUBLIC, ""),
    ("central", "Community meeting room", Zone.Kind.NON_PUBLIC, "Non-public while a private meeting is booked."),
    ("central", "Staff workroom", Zone.Kind.NON_PUBLIC, "Door behind the circulation desk."),
    ("central", "Director's office", Zone.Kind.NON_PUBLIC, ""),
    ("central", "Server and network closet", Zone.Kind.NON_PUBLIC, "Always locked."),
    ("eastside", "Main floor", Zone.Kind.PUBLIC, ""),
    ("eastside", "Staff break room", Zone.Kind.NON_PUBLIC, ""),
]

DEMO_RESOURCES = [
    (Resource.Kind.LEGAL, "Riverside Immigrant Legal Aid (demo)", "555-0150", "", "help@legalaid.invalid",
     ["en", "es", "vi", "tl"],
     {"en": "Free consultations on Tuesdays and Thursdays; no appointment needed.",
      "es": "Consultas gratuitas los martes y jueves; no hace falta cita."}),
]


def _resources(rows) -> int:
    made = 0
    for kind, name, phone, url, email, languages, description in rows:
        _, created = Resource.objects.get_or_create(
            name=name, defaults={"kind": kind, "phone": phone, "url": url, "email": email,
                                 "languages": languages, "description": description},
        )
        made += created
    return made


def load_defaults() -> dict[str, int]:
    """Suggested talking points, self-care and national resources, where the library has none."""
    made = {"talking points": 0, "self-care": 0, "resources": 0, "desk prompts": 0}
    with transaction.atomic():
        for section, rows, key in ((Note.Section.TALKING_POINTS, TALKING_POINTS, "talking points"),
                                   (Note.Section.SELF_CARE, SELF_CARE, "self-care")):
            if not Note.objects.filter(section=section).exists():
                for order, (title, body) in enumerate(rows, 1):
                    Note.objects.create(section=section, title=title, body=body, order=order * 10)
                    made[key] += 1
        if not Resource.objects.exists():
            made["resources"] = _resources(NATIONAL_RESOURCES)
        made["desk prompts"] = _desk_prompts()
    return made


def _desk_prompts() -> int:
    """The suggested desk prompts, not yet approved: counsel approves each before the desk shows it."""
    from .prompts import DEFAULTS

    made = 0
    for order, (key, (text, _basis, _kinds)) in enumerate(DEFAULTS.items(), 1):
        _, created = DeskPrompt.objects.get_or_create(key=key, defaults={"text": text, "order": order * 10})
        made += created
    return made


def seed_demo() -> None:
    """The demo library's guide: contacts, areas, resources (fictional where local)."""
    from quietdesk.core.models import Branch

    load_defaults()
    with transaction.atomic():
        for kind, name, phone, after_hours, email, order in DEMO_CONTACTS:
            Contact.objects.get_or_create(name=name, defaults={
                "kind": kind, "phone": phone, "after_hours": after_hours, "email": email, "order": order})
        branches = {b.code: b for b in Branch.objects.all()}
        for order, (code, name, zone_kind, note) in enumerate(DEMO_ZONES, 1):
            Zone.objects.get_or_create(branch=branches.get(code), name=name,
                                       defaults={"kind": zone_kind, "note": note, "order": order * 10})
        _resources(DEMO_RESOURCES)
        # The demo library's (fictional) counsel has approved the suggested desk prompts.
        DeskPrompt.objects.filter(approved_on__isnull=True).update(
            approved_by="County Counsel's office (demo)", approved_on=datetime.date(2026, 1, 15))
