"""Corpus: search and arrest warrants signed by a judge. Wording modelled on AO 93,
AO 442, California Penal Code 1529 and 813 warrants and Puerto Rico's Spanish-language
forms; all names, cases and places are fictional.

Each entry: (name, kind, lang, expectations, text).
"""

JS = "judicial_search_warrant"
JA = "judicial_arrest_warrant"

AO93_NDCAL = """
AO 93 (Rev. 11/13) Search and Seizure Warrant
UNITED STATES DISTRICT COURT
for the
Northern District of California

In the Matter of the Search of: the public computer sign-up records held at
Riverside Public Library, 100 Example Avenue, Riverside, California
Case No. 5:25-mj-70111-AEX

SEARCH AND SEIZURE WARRANT

To: Any authorized law enforcement officer

An application by a federal law enforcement officer or an attorney for the
government requests the search of the following person or property located in
the Northern District of California: the premises located at 100 Example
Avenue, Riverside, California, described in Attachment A.

I find that the affidavit, or any recorded testimony, establish probable cause
to search and seize the person or property described above, and that such
search will reveal the property described in Attachment B.
Items to be seized: computer sign-up logs for terminal 7 for May 2, 2025.

YOU ARE COMMANDED to execute this warrant on or before June 24, 2025
(not to exceed 14 days)
[X] in the daytime 6:00 a.m. to 10:00 p.m.

The officer executing this warrant must prepare an inventory as required by law
and promptly return this warrant and inventory to the duty magistrate judge.

Date and time issued: June 10, 2025 2:15 p.m.
Avery Exemplar (signed)
Judge's signature
City and state: San Jose, California
Hon. Avery Exemplar, United States Magistrate Judge
Printed name and title
"""

AO93_PRINTED_FORM = """
AO 93 (Rev. 11/13) Search and Seizure Warrant
UNITED STATES DISTRICT COURT
for the
Eastern District of California

In the Matter of the Search of
(Briefly describe the property to be searched or identify the person by name and address)
the residence located at 41 Imaginary Lane, Sacramento, California
Case No. 2:25-sw-00456

SEARCH AND SEIZURE WARRANT

To: Any authorized law enforcement officer
An application by a federal law enforcement officer or an attorney for the
government, supported by an affidavit dated June 9, 2025, requests the search of
the following person or property located in the Eastern District of California
(identify the person or describe the property to be searched and give its location):
the residence located at 41 Imaginary Lane, Sacramento, California.
Items to be seized: one library laptop computer, asset tag 0000-77.

YOU ARE COMMANDED to execute this warrant on or before June 24, 2025
(not to exceed 14 days)

Date and time issued: June 10, 2025 4:05 p.m.
Judge's signature
City and state: Sacramento, California
Sky Nonexistent, United States Magistrate Judge
Printed name and title
"""

AO93_NEVADA_EXPIRED = """
UNITED STATES DISTRICT COURT
for the District of Nevada

In the Matter of the Search of
the circulation records of library card 0000-1111 held by Riverside Public Library
Case No. 2:25-mj-00999-FAK

SEARCH AND SEIZURE WARRANT

To: Any authorized law enforcement officer
An application by a federal law enforcement officer requests the search of the
following property: circulation records of library card 0000-1111.
I find that the affidavit establishes probable cause to search and seize the
property described above.

YOU ARE COMMANDED to execute this warrant on or before May 20, 2025
(not to exceed 14 days)
[ ] in the daytime 6:00 a.m. to 10:00 p.m.  [X] at any time in the day or night

Unless delayed notice is authorized below, you must give a copy of the warrant
and a receipt for the property taken to the person from whom the property was taken.

Date and time issued: May 8, 2025 9:40 a.m.
Judge's signature: Quinn Placeholder
City and state: Las Vegas, Nevada
Quinn Placeholder, U.S. Magistrate Judge
"""

AO93_HSI = """
UNITED STATES DISTRICT COURT
for the
Central District of California

In the Matter of the Search of: meeting room booking records, Riverside Public
Library, 100 Example Avenue, Riverside, California
Case No. 2:25-MJ-04321

SEARCH AND SEIZURE WARRANT

To: Any authorized law enforcement officer
An application by Special Agent Lee Sampleton, U.S. Department of Homeland
Security, Homeland Security Investigations, requests the search of the
following property located in the Central District of California: meeting room
booking records for April 2025.
I find that the affidavit establishes probable cause to search and seize the
property described above.
Property to be seized: booking records for the Oak Room, April 1 to April 30, 2025.

YOU ARE COMMANDED to execute this warrant on or before June 27, 2025
(not to exceed 14 days)

Date and time issued: June 13, 2025 11:05 a.m.
Judge's signature
Morgan Testwell, United States Magistrate Judge
Printed name and title
"""

CA_SUPERIOR = """
SUPERIOR COURT OF CALIFORNIA, COUNTY OF RIVERSIDE
SEARCH WARRANT No. SW-25-0412

THE PEOPLE OF THE STATE OF CALIFORNIA, TO ANY PEACE OFFICER IN THE COUNTY OF
RIVERSIDE:
Proof by affidavit having been this day made before me by Detective Robin
Fictional, that there is probable cause to believe that the property described
herein may be found at the location set forth herein.

YOU ARE THEREFORE COMMANDED to make search at any time of the day, of the
premises located at 100 Example Avenue, Riverside, California, the Riverside
Public Library, staff office only, for the following property:
Items to be seized: the paper guest book for the study rooms, June 2025.
and to seize it if found and bring it forthwith before me, or this court.

Given under my hand, and dated this 12th day of June, 2025, at 4:30 p.m.

Casey Fictitious
Judge of the Superior Court
"""

CA_SUPERIOR_EXPIRED = """
SUPERIOR COURT OF CALIFORNIA
COUNTY OF ORANGEWOOD
SEARCH WARRANT AND AFFIDAVIT

THE PEOPLE OF THE STATE OF CALIFORNIA, TO ANY PEACE OFFICER IN THE COUNTY OF
ORANGEWOOD: proof by affidavit having been made before me that there is
probable cause, YOU ARE THEREFORE COMMANDED to make search of the premises
located at 100 Example Avenue, Riverside, California for the following:
Items to be seized: public computer session logs for April 28, 2025.

Given under my hand and dated May 30, 2025.

Drew Imaginary
Judge of the Superior Court
"""

COOK_COUNTY = """
IN THE CIRCUIT COURT OF COOK COUNTY, ILLINOIS
COUNTY DEPARTMENT, CRIMINAL DIVISION

SEARCH WARRANT

On this day, Officer Sam Notreal, Complainant, has subscribed and sworn to a
complaint for search warrant before me. Upon examination of the complaint, I find
that it states facts sufficient to show probable cause.

I therefore command that you search the premises located at 100 Example Avenue,
Riverside, California, the Riverside Public Library, and seize the following:
Items to be seized: interlibrary loan records for card 0000-2222.

YOU ARE COMMANDED to execute this warrant on or before June 20, 2025.

Issued: June 11, 2025
Judge's signature: Terry Madeup
Circuit Judge, Judge No. 0000
"""

PR_REGISTRO = """
ESTADO LIBRE ASOCIADO DE PUERTO RICO
TRIBUNAL DE PRIMERA INSTANCIA
SALA SUPERIOR DE SAN JUAN

EL PUEBLO DE PUERTO RICO
ORDEN DE REGISTRO Y ALLANAMIENTO
Núm. SJ2025-RA-0077

A CUALQUIER AGENTE DEL ORDEN PÚBLICO:
Habiéndose presentado ante mí una declaración jurada del agente Ramón Ficticio,
y determinado que existe causa probable, SE LE ORDENA que realice un registro
del local ubicado en 100 Example Avenue, Riverside, California.
Los siguientes registros: el registro de préstamos de la tarjeta 0000-3333.

Esta orden deberá diligenciarse a más tardar el 25 de junio de 2025.
Expedida en San Juan, Puerto Rico, el 11 de junio de 2025.

Firma del juez: Lucía Ejemplar
Juez Superior
"""

AO442_NDCAL = """
AO 442 (Rev. 11/11) Arrest Warrant
UNITED STATES DISTRICT COURT
for the
Northern District of California

United States of America
v.
Jordan Sampleton, Defendant
Case No. 3:25-cr-00123-XYZ

ARREST WARRANT

To: Any authorized law enforcement officer
YOU ARE COMMANDED to arrest and bring before a United States magistrate judge
without unnecessary delay
(name of person to be arrested) Jordan Sampleton
who is accused of an offense or violation based on the following document filed
with the court:
[ ] Indictment  [ ] Superseding Indictment  [ ] Information  [X] Complaint
[ ] Probation Violation Petition  [ ] Violation Notice  [ ] Order of the Court

This offense is briefly described as follows: wire fraud.

Date: June 9, 2025
Issuing officer's signature: Riley Specimen
City and state: San Francisco, California
Riley Specimen, United States Magistrate Judge
"""

AO442_TEXAS = """
UNITED STATES DISTRICT COURT
for the Southern District of Texas

UNITED STATES OF AMERICA v. Alex Placeholder
Case No. 4:25-CR-00456

ARREST WARRANT

To: Any authorized law enforcement officer
YOU ARE COMMANDED to arrest and bring before a United States magistrate judge
without unnecessary delay (name of person to be arrested) Alex Placeholder,
who is accused of an offense based on the following document filed with the court:
[X] Indictment  [ ] Superseding Indictment  [ ] Complaint
This offense is briefly described as follows: false statements.

Date: June 2, 2025
Issuing officer's signature
Jamie Notareal, U.S. Magistrate Judge
City and state: Houston, Texas
"""

CA_ARREST = """
SUPERIOR COURT OF CALIFORNIA, COUNTY OF RIVERSIDE
ARREST WARRANT (Penal Code 813)

THE PEOPLE OF THE STATE OF CALIFORNIA, TO ANY PEACE OFFICER OF THIS STATE:
A complaint having been filed with me, YOU ARE COMMANDED to arrest and bring
before me, or another magistrate, without unnecessary delay:
Name: Morgan Testperson
charged with a felony, to wit: burglary.

Bail is set at $25,000.
Dated: June 5, 2025

Sidney Exemplum
Judge of the Superior Court
"""

PR_ARRESTO = """
ESTADO LIBRE ASOCIADO DE PUERTO RICO
TRIBUNAL DE PRIMERA INSTANCIA, SALA MUNICIPAL DE BAYAMÓN

EL PUEBLO DE PUERTO RICO contra Pedro Ficticio
Caso Núm. BY2025-CR-0042

ORDEN DE ARRESTO

A CUALQUIER AGENTE DEL ORDEN PÚBLICO: habiéndose determinado causa probable
por el delito de apropiación ilegal, SE LE ORDENA arrestar y traer ante un juez a:
Nombre: Pedro Ficticio

Expedida el 3 de junio de 2025.
Firma del juez: Ana Muestra
Juez Municipal
"""

DOCS = (
    (
        "js_ao93_ndcal",
        JS,
        "en",
        {
            "expired": False,
            "out_of_state": False,
            "form_number": "AO 93",
            "nondisclosure": False,
            "issued": "2025-06-10",
            "premises": "100 Example Avenue",
            "names_other_premises": False,
        },
        AO93_NDCAL,
    ),
    (
        "js_ao93_nevada_expired",
        JS,
        "en",
        {"expired": True, "out_of_state": True},
        AO93_NEVADA_EXPIRED,
    ),
    ("js_ao93_hsi_applicant", JS, "en", {"expired": False, "out_of_state": False}, AO93_HSI),
    (
        "js_ao93_printed_form",
        JS,
        "en",
        {
            "expired": False,
            "out_of_state": False,
            "issued": "2025-06-10",
            "premises": "41 Imaginary Lane",
            "names_other_premises": True,
        },
        AO93_PRINTED_FORM,
    ),
    ("js_ca_superior", JS, "en", {"expired": False, "out_of_state": False}, CA_SUPERIOR),
    (
        "js_ca_superior_expired",
        JS,
        "en",
        {"expired": True, "out_of_state": False},
        CA_SUPERIOR_EXPIRED,
    ),
    ("js_cook_county", JS, "en", {"expired": False, "out_of_state": True}, COOK_COUNTY),
    ("js_pr_registro_es", JS, "es", {"expired": False, "out_of_state": True}, PR_REGISTRO),
    (
        "ja_ao442_ndcal",
        JA,
        "en",
        {"out_of_state": False, "person": "Jordan Sampleton", "form_number": "AO 442"},
        AO442_NDCAL,
    ),
    ("ja_ao442_texas", JA, "en", {"out_of_state": True, "person": "Alex Placeholder"}, AO442_TEXAS),
    ("ja_ca_superior", JA, "en", {"out_of_state": False, "person": "Morgan Testperson"}, CA_ARREST),
    ("ja_pr_arresto_es", JA, "es", {"out_of_state": True, "person": "Pedro Ficticio"}, PR_ARRESTO),
)
