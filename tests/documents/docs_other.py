"""Corpus: a patron's written authorizations (forms, and letters giving someone
permission to pick up the patron's holds), and documents the reader must answer
``unknown`` for (an immigration judge's order, a know-your-rights flyer, a warrant whose
signature block is cut off, a DHS letter, library paperwork). All fictional.
"""

WA = "written_authorization"
UNK = "unknown"

WA_FORM = """
Riverside Public Library
AUTHORIZATION TO RELEASE LIBRARY RECORDS

I, Dana Example, library card number 0000-1234, authorize Riverside Public
Library to release my circulation records and holds list for January to June
2025 to my caregiver, Sam Ejemplo.
I understand that I may revoke this consent at any time by telling library staff.

Patron signature: Dana Example
Date: June 13, 2025
"""

WA_ES = """
Biblioteca Pública de Riverside
AUTORIZACIÓN PARA DIVULGAR REGISTROS DE LA BIBLIOTECA

Yo, Rosa Ejemplo, número de tarjeta 0000-5678, autorizo a la Biblioteca Pública
de Riverside a mostrar mis registros de préstamos a mi hija, Lucía Muestra.
Entiendo que puedo revocar este consentimiento en cualquier momento.

Firma del usuario: Rosa Ejemplo
Fecha: 10 de junio de 2025
"""

WA_LETTER = """
June 14, 2025
To the staff of Riverside Public Library:
I, Jordan Sampleton, authorize my neighbor Alex Placeholder to pick up my holds
and to view my account while I am in hospital this month.
Cardholder signature: Jordan Sampleton
Library card number: 0000-9012
"""

WA_PERMISSION = """
June 12, 2025
Hello Riverside Library,
I give my permission for my brother, Sam Placeholder, to pick up my holds for me
this month while I am working nights. He will show you his ID.
Thank you,
Kim Example
Library card number: 0000-1357
"""

WA_PERMISO_ES = """
12 de junio de 2025
A la Biblioteca Pública de Riverside:
Doy permiso a mi vecina, Ana Ficticia, para recoger mis reservas esta semana,
porque estoy enferma.
Gracias,
Carmen Muestra
Número de tarjeta: 0000-2469
"""

EOIR_ORDER = """
UNITED STATES DEPARTMENT OF JUSTICE
EXECUTIVE OFFICE FOR IMMIGRATION REVIEW
IMMIGRATION COURT
600 Example Boulevard, Los Angeles, California

In the Matter of: Rosa Ejemplo, Respondent
File No: A000-555-666
IN REMOVAL PROCEEDINGS

ORDER OF THE IMMIGRATION JUDGE
Upon the basis of the respondent's admissions, IT IS HEREBY ORDERED that the
respondent be removed from the United States to Exampleland on the charge
contained in the Notice to Appear.

Date: April 2, 2025
Quinn Exemplar
Immigration Judge
"""

FLYER = """
KNOW YOUR RIGHTS AT THE LIBRARY
This flyer is not legal advice.

A judicial warrant is signed by a judge and names a court, for example the
United States District Court. It says SEARCH AND SEIZURE WARRANT or ARREST
WARRANT and has a judge's signature line.

An ICE administrative warrant (Form I-200, Warrant for Arrest of Alien, or
Form I-205, Warrant of Removal/Deportation) is signed by an immigration officer.
It does not let agents enter private areas.

What to do if agents come: stay calm, ask for the document, call the director.
Hotline: 555-0100
"""

FLYER_ES = """
CONOZCA SUS DERECHOS EN LA BIBLIOTECA
Esta hoja no es asesoría legal.
Una orden judicial está firmada por un juez. Una orden de arresto de
extranjero (Formulario I-200) está firmada por un funcionario de inmigración
y no permite entrar en áreas privadas.
Qué hacer si llegan agentes: mantenga la calma y llame a la directora.
Línea de ayuda: 555-0199
"""

CROPPED_AO93 = """
UNITED STATES DISTRICT COURT
for the
Northern District of California
In the Matter of the Search of: Riverside Public Library, 100 Example Avenue,
Riverside, California
SEARCH AND SEIZURE WARRANT
To: Any authorized law enforcement officer
An application by a federal law enforcement officer requests the search of the
following property: public computer logs for terminal 2.
YOU ARE COMMANDED to execute this warrant on or before June 26, 2025
(not to exceed 14 days)
"""

DHS_LETTER = """
U.S. Department of Homeland Security
Homeland Security Investigations
300 Example Plaza, Los Angeles, California

June 9, 2025
Dear Library Director:
As part of an ongoing investigation, we ask for your voluntary cooperation in
providing the current address and recent visit dates of a person who may use
your library. Please contact the undersigned at your earliest convenience.
Lee Sampleton
Special Agent
"""

OVERDUE = """
Riverside Public Library
OVERDUE NOTICE
The following items are overdue. Please return them to any branch.
The Example Cookbook, due May 30, 2025
A Field Guide to Imaginary Birds, due June 2, 2025
Fines are no longer charged for overdue items. Thank you for using your library.
"""

BUSINESS_CARD = """
Lee Sampleton
Special Agent
Homeland Security Investigations
U.S. Department of Homeland Security
300 Example Plaza, Los Angeles, California
Office: 555-0123
"""

DOCS = (
    ("wa_form", WA, "en", {"person": "Dana Example"}, WA_FORM),
    ("wa_form_es", WA, "es", {"person": "Rosa Ejemplo"}, WA_ES),
    ("wa_letter", WA, "en", {"person": "Jordan Sampleton"}, WA_LETTER),
    ("wa_permission_holds", WA, "en", {"issued": "2025-06-12"}, WA_PERMISSION),
    ("wa_permiso_es", WA, "es", {}, WA_PERMISO_ES),
    ("unk_immigration_judge_order", UNK, "en", {}, EOIR_ORDER),
    ("unk_know_your_rights_flyer", UNK, "en", {}, FLYER),
    ("unk_flyer_es", UNK, "es", {}, FLYER_ES),
    ("unk_cropped_search_warrant", UNK, "en", {}, CROPPED_AO93),
    ("unk_dhs_letter", UNK, "en", {}, DHS_LETTER),
    ("unk_overdue_notice", UNK, "en", {}, OVERDUE),
    ("unk_business_card", UNK, "en", {}, BUSINESS_CARD),
)
