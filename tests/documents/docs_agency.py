"""Corpus: immigration detainers (DHS Form I-247A, addressed to jails; a detainer cites
the I-200 or I-205 that goes with it, which does not make it that warrant) and agency
summonses, which are administrative: U.S. Customs and Border Protection's summons under
19 U.S.C. 1509 and an IRS summons (26 U.S.C. 7602). Written from the public
descriptions of the forms (research/legal-documents.md, 19 CFR 163.7, ICE's guidance on
Form I-247A), in our own words; every name, number and address is made up.
"""

DET = "immigration_detainer"
AS = "administrative_subpoena"

DETAINER_JAIL = """
DEPARTMENT OF HOMELAND SECURITY
IMMIGRATION DETAINER - NOTICE OF ACTION
Subject ID: 000000   File No: A000-135-791   Date: June 8, 2025
TO: (Name and Title of Institution) Riverside County Jail
Name of Alien: Kim Placeholder
Probable cause that the subject is a removable alien is based on a final order
of removal against the subject.
IT IS THEREFORE REQUESTED THAT YOU maintain custody of the alien for a period
not to exceed 48 hours beyond the time when he or she would otherwise have
been released.
Signature of immigration officer: Chris Notreal, Deportation Officer
Form I-247A
"""

DETAINER_WITH_I200 = """
DEPARTMENT OF HOMELAND SECURITY (DHS)
IMMIGRATION DETAINER - NOTICE OF ACTION
Subject ID: 000000000     Event #: XXX0000000000     File No: A000-246-135
Date: June 10, 2025

TO: (Name and Title of Institution - or any later law enforcement agency)
Sheriff, Example County Detention Center
FROM: (DHS Office Address) 300 Example Plaza, Los Angeles, California

Name of Alien: Jordan Placeholder
Date of Birth: 01/01/1990      Citizenship: Exampleland      Sex: M

1. DHS HAS DETERMINED THAT PROBABLE CAUSE EXISTS THAT THE SUBJECT IS A REMOVABLE
ALIEN. This determination rests on:
[ ] a final order of removal against the alien;
[X] biometric confirmation of the alien's identity and a records check.

IT IS THEREFORE REQUESTED THAT YOU:
- tell DHS as early as you can, at least 48 hours before if possible, before the
alien is released from your custody;
- maintain custody of the alien for no more than 48 hours beyond the time when he
or she would otherwise have been released, so that DHS can assume custody.

This detainer comes with a Warrant for Arrest of Alien (Form I-200) signed by an
immigration officer.

Chris Notreal, Supervisory Detention and Deportation Officer
(Name and title of immigration officer)
(Signature of immigration officer)

NOTICE TO THE DETAINEE: DHS has placed an immigration detainer on you. A copy of
this form must be given to you.
DHS Form I-247A (3/17)
"""

DETAINER_ES = """
DEPARTAMENTO DE SEGURIDAD NACIONAL
DETENCIÓN DE INMIGRACIÓN - AVISO DE ACCIÓN
(traducción de cortesía del Formulario I-247A)
Expediente No: A000-864-200    Fecha: 9 de junio de 2025
A: Cárcel del Condado de Riverside
Nombre del extranjero: Lucía Muestra
SE SOLICITA QUE USTED mantenga bajo custodia a la persona nombrada por un máximo
de 48 horas después del momento en que habría quedado en libertad, para que el
Departamento de Seguridad Nacional asuma la custodia. Esta solicitud va acompañada
de una Orden de Arresto de Extranjero (Formulario I-200).
Firma del funcionario de inmigración: Pat Sample, Oficial de Deportación
"""

CBP_SUMMONS = """
DEPARTMENT OF HOMELAND SECURITY
U.S. Customs and Border Protection
SUMMONS
(19 U.S.C. 1509)
Summons No. CBP-LA-25-0077

To: Custodian of Records, Riverside Public Library, 100 Example Avenue,
Riverside, California

You are hereby summoned and required to appear before Officer Pat Customsly,
U.S. Customs and Border Protection, at 300 Example Plaza, Los Angeles, California,
on July 1, 2025 at 10:00 a.m., and to produce the following records: the name,
address and registration date of the holder of the library account that used
public computer 12 on May 3, 2025.

These records are required for an inquiry to ensure compliance with the laws that
U.S. Customs and Border Protection administers. You are requested not to disclose
the existence of this summons to any person.

Failure to comply with this summons may lead to proceedings in a United States
District Court to enforce it.

Issued under 19 U.S.C. 1509 by:
Alex Bordersample, Special Agent in Charge
Date: June 11, 2025
"""

IRS_SUMMONS = """
Summons

In the matter of: the tax liability of Jordan Sampleton
Internal Revenue Service (Division): Small Business/Self-Employed
Periods: tax years 2022 and 2023

The Commissioner of Internal Revenue
To: Riverside Public Library, Attn: Records Custodian
At: 100 Example Avenue, Riverside, California

You are hereby summoned and required to appear before Casey Taxample, an officer
of the Internal Revenue Service, to give testimony and to bring with you for
examination the following records: payments made by Jordan Sampleton to the
library for room rentals in 2022 and 2023.

Place and time for appearance: 200 Example Street, Riverside, California, on the
8th day of July, 2025, at 10:00 a.m.

Issued under the authority of 26 U.S.C. 7602 this 6th day of June, 2025.
Casey Taxample, Revenue Agent
Form 2039
"""

DOCS = (
    ("det_i247a_jail", DET, "en", {"form_number": "I-247A", "person": "Kim Placeholder"}, DETAINER_JAIL),
    (
        "det_i247a_with_i200",
        DET,
        "en",
        {"form_number": "I-247A", "person": "Jordan Placeholder", "issued": "2025-06-10"},
        DETAINER_WITH_I200,
    ),
    ("det_i247a_es", DET, "es", {"form_number": "I-247A"}, DETAINER_ES),
    (
        "as_cbp_summons_1509",
        AS,
        "en",
        {
            "expired": False,
            "nondisclosure": False,
            "finding": "secrecy_requested",
            "issued": "2025-06-11",
            "return_date": "2025-07-01",
        },
        CBP_SUMMONS,
    ),
    (
        "as_irs_summons",
        AS,
        "en",
        {"expired": False, "issued": "2025-06-06", "return_date": "2025-07-08"},
        IRS_SUMMONS,
    ),
)
