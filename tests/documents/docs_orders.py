"""Corpus: court orders signed by a judge (18 U.S.C. 2703(d) orders with their 2705(b)
non-disclosure clause, a 2705(b) order on its own, state production orders) and FISC
"Section 215" orders (50 U.S.C. 1861). Modelled on published orders; every name, case
and place is fictional.
"""

CO = "court_order"
FI = "fisa_order"

CO_2703D = """
UNITED STATES DISTRICT COURT
for the Northern District of California

IN THE MATTER OF THE APPLICATION OF THE UNITED STATES OF AMERICA FOR AN ORDER
PURSUANT TO 18 U.S.C. 2703(d)
Misc. No. 25-mc-80077

ORDER

This matter having come before the Court pursuant to an application under
18 U.S.C. 2703(d), and the Court finding specific and articulable facts,
IT IS HEREBY ORDERED that Riverside Public Library shall, within ten days of
this Order, disclose the following records: Wi-Fi session logs for the device
named in Attachment A between May 1 and May 7, 2025.

IT IS FURTHER ORDERED under 18 U.S.C. 2705(b) that Riverside Public Library
shall not disclose the existence of the application or this Order to any
person for one year, except to its attorney.

Dated: June 6, 2025
Avery Exemplar
United States Magistrate Judge
"""

CO_2703D_PROVIDER = """
UNITED STATES DISTRICT COURT
FOR THE CENTRAL DISTRICT OF CALIFORNIA

IN THE MATTER OF THE APPLICATION OF THE UNITED STATES OF AMERICA FOR AN ORDER
UNDER 18 U.S.C. § 2703(d) DIRECTED TO RIVERSIDE PUBLIC LIBRARY
Case No. 5:25-mj-00321
FILED UNDER SEAL

ORDER

The United States has applied under 18 U.S.C. § 2703(c) and (d) for an Order
requiring Riverside Public Library, which provides a public Wi-Fi service, to
disclose the records described in Attachment A. The Court finds that the
application offers specific and articulable facts showing reasonable grounds to
believe that those records are relevant and material to an ongoing criminal
investigation, and that notice of this Order would seriously jeopardize that
investigation (18 U.S.C. § 2705(b)).

Accordingly, IT IS ORDERED under 18 U.S.C. § 2703(d) that Riverside Public Library
shall, within ten days of the date of this Order, disclose to the United States
the records described in Attachment A.

IT IS FURTHER ORDERED under 18 U.S.C. § 2705(b) that Riverside Public Library
shall not disclose the existence of the application or of this Order to any
person for one year, except to an attorney for the purpose of legal advice.

June 12, 2025
Date
Jordan Notreal
United States Magistrate Judge

ATTACHMENT A
Records to be disclosed: session start and end times and the addresses assigned
to the device with hardware address 00:00:5E:00:53:01 from May 1 to May 10, 2025.
"""

CO_2705B_ALONE = """
UNITED STATES DISTRICT COURT
for the Northern District of California

IN THE MATTER OF AN ORDER UNDER 18 U.S.C. 2703(d) SERVED ON RIVERSIDE PUBLIC LIBRARY
Misc. No. 25-mc-80078

ORDER UNDER 18 U.S.C. 2705(b)

On the application of the United States, and finding reason to believe that
notice would result in the destruction of evidence, IT IS HEREBY ORDERED that
Riverside Public Library shall not notify any person of the existence of the
order served on it under 18 U.S.C. 2703(d) on June 6, 2025, for 180 days from the
date of this Order, except its attorney.

Dated: June 13, 2025
Avery Exemplar
United States Magistrate Judge
"""

CO_CA_PRODUCTION = """
SUPERIOR COURT OF CALIFORNIA, COUNTY OF RIVERSIDE
People v. Kit Fakename, Case No. RIF2500777

ORDER FOR PRODUCTION OF RECORDS

Good cause appearing, IT IS HEREBY ORDERED that the custodian of records of the
Riverside Public Library produce to the Court, on or before July 1, 2025, the
following records: the program sign-in sheet for the May 17, 2025 tax clinic.
The records shall be lodged under seal with the clerk for in camera review.

SO ORDERED.
Dated: June 4, 2025
Blair Specimen
Judge of the Superior Court
"""

CO_OREGON = """
IN THE CIRCUIT COURT OF THE STATE OF OREGON
FOR THE COUNTY OF MULTNOMAH

STATE OF OREGON v. Reese Nonesuch, Case No. 25CR00001

ORDER COMPELLING PRODUCTION OF LIBRARY RECORDS

IT IS HEREBY ORDERED that Riverside Public Library produce the following
records: the hold requests placed on card 0000-4444 in March 2025.

Dated: June 3, 2025
Judge's signature
Parker Imaginario, Circuit Court Judge
"""

CO_PR_ES = """
ESTADO LIBRE ASOCIADO DE PUERTO RICO
TRIBUNAL DE PRIMERA INSTANCIA, SALA SUPERIOR DE PONCE

EL PUEBLO DE PUERTO RICO contra Carmen Inventada
Caso Núm. PO2025-CR-0150

RESOLUCIÓN Y ORDEN

Examinada la moción del Ministerio Público, POR LA PRESENTE SE ORDENA a la
Biblioteca Pública de Riverside entregar al tribunal los siguientes registros:
el historial de reservas de salas de estudio de abril de 2025.

Dada en Ponce, Puerto Rico, el 9 de junio de 2025.
Firma del juez: Elena Ficción
Juez Superior
"""

FISC_2019 = """
UNITED STATES
FOREIGN INTELLIGENCE SURVEILLANCE COURT
WASHINGTON, D.C.

IN RE APPLICATION OF THE FEDERAL BUREAU OF INVESTIGATION FOR AN ORDER REQUIRING
THE PRODUCTION OF TANGIBLE THINGS FROM RIVERSIDE PUBLIC LIBRARY
Docket Number: BR 19-07

PRIMARY ORDER

This Court having found that the application satisfies the requirements of
50 U.S.C. 1861, IT IS HEREBY ORDERED that the custodian of records shall
produce to the FBI the following tangible things: registration records for the
cards listed in the sealed attachment.

No person shall disclose to any other person that the FBI has sought or obtained
tangible things under this Order, other than to those persons to whom disclosure
is necessary to comply with this Order or to an attorney (50 U.S.C. 1861(d)).

This authorization expires on December 31, 2019.
Signed: November 4, 2019
Hollis Exemplar
Judge, United States Foreign Intelligence Surveillance Court
"""

FISC_2024 = """
UNITED STATES FOREIGN INTELLIGENCE SURVEILLANCE COURT
WASHINGTON, D.C.

IN RE APPLICATION OF THE FEDERAL BUREAU OF INVESTIGATION FOR AN ORDER REQUIRING
THE PRODUCTION OF TANGIBLE THINGS
Docket Number: BR 24-03

PRIMARY ORDER
Pursuant to 50 U.S.C. 1861, IT IS HEREBY ORDERED that Riverside Public Library
produce the following tangible things: public computer reservation records.
No person shall disclose that the FBI has sought or obtained tangible things
under this Order (50 U.S.C. 1861(d)).

This authorization expires on September 30, 2025.
Signed: May 28, 2025
Jesse Nobody
Judge, United States Foreign Intelligence Surveillance Court
"""

FISC_SECONDARY = """
UNITED STATES FOREIGN INTELLIGENCE SURVEILLANCE COURT
WASHINGTON, D.C.

IN RE APPLICATION OF THE FEDERAL BUREAU OF INVESTIGATION FOR AN ORDER REQUIRING
THE PRODUCTION OF TANGIBLE THINGS FROM RIVERSIDE PUBLIC LIBRARY
Docket Number: BR 18-11

SECONDARY ORDER
This Court, having found that the application of the FBI for an order under
50 U.S.C. 1861 satisfies the requirements of the Act, IT IS HEREBY ORDERED that
the custodian of records shall produce to the FBI all interlibrary loan records
for the cards listed in the classified annex.
IT IS FURTHER ORDERED that no person shall disclose to any other person that the
FBI has sought or obtained tangible things under this Order.
This authorization expires on March 1, 2019.
Signed: December 3, 2018
Rowan Specimen
Judge, United States Foreign Intelligence Surveillance Court
"""

DOCS = (
    ("co_2703d_gag", CO, "en", {"nondisclosure": True, "out_of_state": False}, CO_2703D),
    (
        "co_2703d_provider",
        CO,
        "en",
        {"nondisclosure": True, "out_of_state": False, "issued": "2025-06-12"},
        CO_2703D_PROVIDER,
    ),
    (
        "co_2705b_alone",
        CO,
        "en",
        {"nondisclosure": True, "out_of_state": False, "issued": "2025-06-13"},
        CO_2705B_ALONE,
    ),
    (
        "co_ca_production",
        CO,
        "en",
        {"nondisclosure": False, "out_of_state": False},
        CO_CA_PRODUCTION,
    ),
    ("co_oregon", CO, "en", {"nondisclosure": False, "out_of_state": True}, CO_OREGON),
    ("co_pr_orden_es", CO, "es", {"out_of_state": True}, CO_PR_ES),
    ("fi_primary_2019", FI, "en", {"nondisclosure": True, "expired": True}, FISC_2019),
    (
        "fi_primary_2024",
        FI,
        "en",
        {"nondisclosure": True, "expired": False, "finding": "section_215_sunset"},
        FISC_2024,
    ),
    ("fi_secondary_2018", FI, "en", {"nondisclosure": True}, FISC_SECONDARY),
)
