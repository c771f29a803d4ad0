"""Corpus: immigration and agency documents NOT signed by a judge: ICE administrative
warrants (I-200, I-205), administrative subpoenas (DHS I-138, DEA under 21 U.S.C. 876)
and Notices to Appear (I-862). Wording modelled on the published forms; every name,
number and address is fictional.
"""

ICE = "ice_administrative_warrant"
AS = "administrative_subpoena"
NTA = "notice_to_appear"

I200 = """
U.S. DEPARTMENT OF HOMELAND SECURITY
WARRANT FOR ARREST OF ALIEN
File No. A000-111-222
Date: June 10, 2025

To: Any immigration officer authorized pursuant to sections 236 and 287 of the
Immigration and Nationality Act and part 287 of title 8, Code of Federal
Regulations, to serve warrants of arrest for immigration violations

I have determined that there is probable cause to believe that Dana Example is
removable from the United States. This determination is based upon:
[X] the execution of a charging document to initiate removal proceedings
[ ] the pendency of ongoing removal proceedings against the subject
[X] biometric confirmation of the subject's identity and a records check

YOU ARE COMMANDED to arrest and take into custody for removal proceedings under
the Immigration and Nationality Act, the above-named alien.

(Signature of Authorized Immigration Officer)
Pat Sample, Supervisory Detention and Deportation Officer
(Printed Name and Title of Authorized Immigration Officer)

Certificate of Service
I hereby certify that the Warrant for Arrest of Alien was served by me at
__________ on __________.
Form I-200 (Rev. 09/16)
"""

I200_PROBABLE_CAUSE = """
DEPARTMENT OF HOMELAND SECURITY
U.S. Immigration and Customs Enforcement
WARRANT FOR ARREST OF ALIEN
File No. A000-333-444     Date: May 30, 2025
To: Any immigration officer authorized to serve warrants of arrest.
I have determined that there is probable cause to believe that Sam Ejemplo is
removable from the United States, based upon statements made voluntarily by
the subject to an immigration officer.
YOU ARE COMMANDED to arrest and take into custody for removal proceedings the
above-named alien.
Signature of Authorized Immigration Officer: Chris Notreal
Deportation Officer
Form I-200
"""

I205 = """
U.S. Department of Homeland Security
WARRANT OF REMOVAL/DEPORTATION
File No: A000-555-666
Date: June 2, 2025

To any immigration officer of the United States Department of Homeland Security:
Rosa Ejemplo, who entered the United States at Example Port of Entry on
March 3, 2011, is subject to removal/deportation from the United States, based
upon a final order by:
[X] an immigration judge in exclusion, deportation, or removal proceedings
[ ] a designated official
[ ] the Board of Immigration Appeals
[ ] a United States District or Magistrate Court Judge
and pursuant to the following provisions of the Immigration and Nationality Act.

I, the undersigned officer of the United States, by virtue of the power and
authority vested in the Secretary of Homeland Security, command you to take
into custody and remove from the United States the above-named alien.

Signature of immigration officer: Taylor Fakeperson
Title of immigration officer: Field Office Director
Form I-205 (Rev. 08/01/07)
"""

I205_COURT_BOX = """
U.S. Department of Homeland Security
WARRANT OF REMOVAL/DEPORTATION
File No: A000-777-888
Date: May 14, 2025
To any immigration officer of the United States Department of Homeland Security:
Kim Placeholder, who entered the United States at Los Example on June 1, 2009,
is subject to removal/deportation from the United States, based upon a final
order by:
[ ] an immigration judge in exclusion, deportation, or removal proceedings
[ ] the Board of Immigration Appeals
[X] a United States District or Magistrate Court Judge
I, the undersigned officer of the United States, command you to take into
custody and remove from the United States the above-named alien.
(Signature of immigration officer)
Deputy Field Office Director
Form I-205
"""

I200_ES = """
DEPARTAMENTO DE SEGURIDAD NACIONAL DE LOS ESTADOS UNIDOS
ORDEN DE ARRESTO DE EXTRANJERO
(traducción de cortesía del Formulario I-200)
Expediente No. A000-999-000
Fecha: 4 de junio de 2025

A: Cualquier funcionario de inmigración autorizado para ejecutar órdenes de
arresto por infracciones de inmigración.

He determinado que existe causa probable para creer que Lucía Muestra es
deportable de los Estados Unidos.

SE LE ORDENA arrestar y poner bajo custodia, para procedimientos de expulsión
conforme a la Ley de Inmigración y Nacionalidad, a la extranjera nombrada.

Firma del funcionario de inmigración autorizado: Pat Sample
Oficial de Deportación Supervisor
Formulario I-200
"""

I138 = """
U.S. Department of Homeland Security
Immigration and Customs Enforcement
IMMIGRATION ENFORCEMENT SUBPOENA
To Appear and/or Produce Records
(8 U.S.C. 1225(d), 8 CFR 287.4)
Subpoena No. ICE-2025-000123

To: Custodian of Records, Riverside Public Library, 100 Example Avenue,
Riverside, California

By the service of this subpoena upon you, YOU ARE HEREBY COMMANDED AND
REQUIRED to produce the records listed below before Special Agent Lee
Sampleton, an officer of the Department of Homeland Security, on or before
June 30, 2025, at 300 Example Plaza, Los Angeles, California.
Records requested: all registration records, address and telephone number for
library card holder Dana Example.

Failure to comply with this subpoena may subject you to an order of the
District Court to show cause.

Signature: Morgan Officerly
Title: Special Agent in Charge
Date of issuance: June 9, 2025
Form I-138
"""

I138_ES = """
Departamento de Seguridad Nacional
Servicio de Inmigración y Control de Aduanas
CITACIÓN DE CONTROL DE INMIGRACIÓN
(traducción del Formulario I-138; 8 U.S.C. 1225(d))

A: Encargado de Registros, Biblioteca Pública de Riverside

SE LE ORDENA presentar los documentos que se indican a continuación ante el
agente especial Ramón Ficticio, funcionario del Departamento de Seguridad
Nacional, a más tardar el 7 de julio de 2025.
Registros solicitados: la dirección y el teléfono de la usuaria Rosa Ejemplo.

El incumplimiento de esta citación puede dar lugar a una orden del tribunal
de distrito.
Firma: Agente Especial a Cargo
Fecha: 6 de junio de 2025
"""

DEA_SUBPOENA = """
U.S. Department of Justice
Drug Enforcement Administration
ADMINISTRATIVE SUBPOENA
Subpoena No. DEA-25-000042
Authority: 21 U.S.C. 876

To: Riverside Public Library, Attn: Records Custodian
YOU ARE HEREBY COMMANDED to produce the following records at the DEA office at
200 Example Street, Riverside, California, on or before June 27, 2025:
all public computer session logs for terminal 3 on May 12, 2025.

Failure to comply with this subpoena may result in an order of a United States
District Court requiring compliance.

Issued: June 5, 2025
Casey Officerton, Diversion Program Manager
"""

I138_SECRECY = """
U.S. Department of Homeland Security
Immigration and Customs Enforcement
Homeland Security Investigations
IMMIGRATION ENFORCEMENT SUBPOENA
8 U.S.C. 1225(d)
To: Riverside Public Library
YOU ARE HEREBY COMMANDED to produce all records showing visits by Kim
Placeholder between April 1 and May 31, 2025, on or before May 30, 2025.

You are requested not to disclose the existence of this subpoena, as disclosure
could impede an ongoing investigation.

Issued: May 20, 2025
Jo Notreal, Assistant Special Agent in Charge
Form I-138
"""

NTA_I862 = """
U.S. DEPARTMENT OF HOMELAND SECURITY
NOTICE TO APPEAR
In removal proceedings under section 240 of the Immigration and Nationality Act
Subject ID: 000000000    FINS: 0000000000    File No: A000-123-456
DOB: 01/01/1990    Event No: XXX0000000000

In the Matter of:
Respondent: Dana Example
currently residing at: 12 Imaginary Lane, Riverside, California 90000

[ ] You are an arriving alien.
[X] You are an alien present in the United States who has not been admitted or
paroled.
The Department of Homeland Security alleges that you:
1. You are not a citizen or national of the United States.
On the basis of the foregoing, it is charged that you are subject to removal
from the United States pursuant to the following provision of law: section
212(a)(6)(A)(i) of the Immigration and Nationality Act.

YOU ARE ORDERED to appear before an immigration judge of the United States
Department of Justice at: 600 Example Boulevard, Los Angeles, California,
on July 22, 2025 at 8:30 a.m. to show why you should not be removed from the
United States.

(Signature and Title of Issuing Officer) Chris Notreal, Deportation Officer
Date: June 1, 2025, Riverside, California
Form I-862
"""

NTA_ES = """
DEPARTAMENTO DE SEGURIDAD NACIONAL DE EE. UU.
AVISO DE COMPARECENCIA
En procedimientos de expulsión conforme a la sección 240 de la Ley de
Inmigración y Nacionalidad
Expediente No: A000-654-321

En el asunto de:
Respondiente: Carmen Inventada
domiciliada en: 45 Calle Ficticia, Riverside, California

El Departamento de Seguridad Nacional alega que usted no es ciudadana de los
Estados Unidos y que está sujeta a expulsión.

SE LE ORDENA comparecer ante un juez de inmigración del Departamento de
Justicia de los Estados Unidos, en 600 Example Boulevard, Los Ángeles, el
5 de agosto de 2025, a las 9:00 a.m.

Firma y cargo del funcionario emisor: Oficial de Deportación
Fecha: 2 de junio de 2025
Formulario I-862
"""

NTA_TBD = """
U.S. Department of Homeland Security
Notice to Appear
In removal proceedings under section 240 of the Immigration and Nationality Act
File No: A000-246-810
In the Matter of: Respondent: Jordan Ficticio
You are an arriving alien.
YOU ARE ORDERED to appear before an immigration judge of the United States
Department of Justice at: [address to be set], on a date to be set, at a time to
be set, to show why you should not be removed from the United States.
Signature and Title of Issuing Officer: Supervisory Immigration Officer
Date: June 11, 2025
Form I-862 (Rev. 08/01/07)
"""

DOCS = (
    (
        "ice_i200",
        ICE,
        "en",
        {"form_number": "I-200", "person": "Dana Example", "nondisclosure": False},
        I200,
    ),
    (
        "ice_i200_probable_cause",
        ICE,
        "en",
        {"form_number": "I-200", "person": "Sam Ejemplo"},
        I200_PROBABLE_CAUSE,
    ),
    ("ice_i205", ICE, "en", {"form_number": "I-205", "person": "Rosa Ejemplo"}, I205),
    ("ice_i205_court_judge_box", ICE, "en", {"form_number": "I-205"}, I205_COURT_BOX),
    ("ice_i200_es", ICE, "es", {"form_number": "I-200", "person": "Lucía Muestra"}, I200_ES),
    ("as_i138", AS, "en", {"form_number": "I-138", "expired": False, "nondisclosure": False}, I138),
    ("as_i138_es", AS, "es", {"expired": False}, I138_ES),
    ("as_dea_876", AS, "en", {"expired": False}, DEA_SUBPOENA),
    (
        "as_i138_secrecy_request",
        AS,
        "en",
        {"nondisclosure": False, "expired": True, "finding": "secrecy_requested"},
        I138_SECRECY,
    ),
    ("nta_i862", NTA, "en", {"form_number": "I-862", "person": "Dana Example"}, NTA_I862),
    ("nta_i862_es", NTA, "es", {"form_number": "I-862"}, NTA_ES),
    ("nta_date_to_be_set", NTA, "en", {"form_number": "I-862"}, NTA_TBD),
)
