"""Corpus: National Security Letters (18 U.S.C. 2709; FBI, no judge) and grand jury
subpoenas (AO 110; issued by the clerk, no judge reviews them), with a cover letter that
only asks for secrecy and one with a judge's separate 2705(b) order. Fictional throughout.
"""

NSL = "national_security_letter"
GJ = "grand_jury_subpoena"

NSL_LETTER = """
U.S. Department of Justice
Federal Bureau of Investigation
Example City Field Office

June 3, 2025
Riverside Public Library
100 Example Avenue, Riverside, California

Under the authority of Executive Order 12333, dated December 4, 1981, and
pursuant to Title 18, United States Code (U.S.C.), Section 2709, you are hereby
directed to provide to the Federal Bureau of Investigation the name, address,
length of service and electronic communication transactional records for the
Wi-Fi account listed in the enclosure.

In accordance with Title 18, U.S.C., Section 2709(b), I certify that the
information sought is relevant to an authorized investigation to protect against
international terrorism or clandestine intelligence activities.

In accordance with 18 U.S.C. 2709(c), I certify that disclosure of the fact that
the FBI has sought or obtained access to this information may endanger the
national security. Accordingly, 18 U.S.C. 2709(c)(1) prohibits you, or any
officer, employee or agent of yours, from disclosing this letter, other than to
those to whom disclosure is necessary to comply with the letter or to an
attorney to obtain legal advice.

Sincerely,
Avery Agentson
Special Agent in Charge
"""

NSL_SHORT = """
FEDERAL BUREAU OF INVESTIGATION
National Security Letter
File No. 000X-XX-000000
May 29, 2025
To: Director, Riverside Public Library
Pursuant to 18 U.S.C. 2709, you are directed to provide the subscriber
information for the public Wi-Fi login "guest-0042". I certify that the records
are relevant to an authorized investigation to protect against international
terrorism or clandestine intelligence activities.
18 U.S.C. 2709(c) prohibits you from disclosing to any person that the FBI has
sought or obtained access to this information.
Robin Fedsworth, Assistant Director in Charge
"""

NSL_NO_GAG = """
U.S. Department of Justice
Federal Bureau of Investigation
Example Field Office
June 12, 2025
To: Riverside Public Library
Pursuant to Title 18, United States Code, Section 2709, you are directed to
provide the FBI with the electronic communication transactional records for
the library's public Wi-Fi device identified in the enclosure. I certify that
the records sought are relevant to an authorized investigation to protect
against international terrorism or clandestine intelligence activities.
Jules Examplar, Special Agent in Charge
"""

GJ_AO110 = """
AO 110 (Rev. 06/09) Subpoena to Testify Before a Grand Jury
UNITED STATES DISTRICT COURT
for the
Northern District of California

SUBPOENA TO TESTIFY BEFORE A GRAND JURY

To: Custodian of Records, Riverside Public Library

YOU ARE COMMANDED to appear in this United States district court at the time,
date, and place shown below to testify before the court's grand jury.
Place: 280 Example Street, San Jose, California, Grand Jury Room 2
Date and Time: July 8, 2025 9:00 a.m.

You must also bring with you the following documents: circulation records for
library card 0000-5555 from January 1 to March 31, 2025.

Date: June 4, 2025
CLERK OF COURT
Signature of Clerk or Deputy Clerk: Lane Notajudge
The name, address, e-mail, and telephone number of the assistant United States
attorney who requests this subpoena: Kai Prosecutorial, AUSA, 450 Example Ave.
"""

GJ_COVER_LETTER = """
U.S. Department of Justice
United States Attorney, Northern District of California

June 5, 2025
Dear Custodian of Records:
Enclosed is a grand jury subpoena. We request that you not disclose the
existence of this subpoena to any person, as disclosure could impede the
investigation. This request is voluntary.
Kai Prosecutorial, Assistant United States Attorney

UNITED STATES DISTRICT COURT for the Northern District of California
SUBPOENA TO TESTIFY BEFORE A GRAND JURY
To: Riverside Public Library
YOU ARE COMMANDED to appear in this United States district court to testify
before the court's grand jury.
Date and Time: July 15, 2025 10:00 a.m.
You must also bring with you the following documents: meeting room records.
Date: June 5, 2025
CLERK OF COURT, Signature of Clerk or Deputy Clerk
"""

GJ_EDVA = """
UNITED STATES DISTRICT COURT
for the Eastern District of Virginia
SUBPOENA TO TESTIFY BEFORE A GRAND JURY
To: Riverside Public Library, 100 Example Avenue, Riverside, California
YOU ARE COMMANDED to appear in this United States district court at the time,
date, and place shown below to testify before the court's grand jury.
Place: 401 Example Courthouse Way, Alexandria, Virginia
Date and Time: May 19, 2025 9:30 a.m.
You must also bring with you the following documents: account creation dates
for cards 0000-6666 and 0000-7777.
Date: May 1, 2025
CLERK OF COURT, Deputy Clerk: Sol Notajudge
"""

GJ_WITH_GAG = """
UNITED STATES DISTRICT COURT for the Central District of California
SUBPOENA TO TESTIFY BEFORE A GRAND JURY
To: Custodian of Records, Riverside Public Library
YOU ARE COMMANDED to appear before the court's grand jury.
Date and Time: July 10, 2025 9:00 a.m.
You must also bring with you the following documents: interlibrary loan records
for card 0000-8888.
Date: June 2, 2025   CLERK OF COURT, Signature of Clerk or Deputy Clerk

ORDER
Upon application of the United States under 18 U.S.C. 2705(b), IT IS HEREBY
ORDERED that Riverside Public Library shall not disclose the existence of the
grand jury subpoena to any person for 180 days.
Dated: June 2, 2025
Morgan Testwell, United States Magistrate Judge
"""

DOCS = (
    ("nsl_2709", NSL, "en", {"nondisclosure": True}, NSL_LETTER),
    ("nsl_short", NSL, "en", {"nondisclosure": True}, NSL_SHORT),
    ("nsl_no_gag_clause", NSL, "en", {"nondisclosure": False}, NSL_NO_GAG),
    (
        "gj_ao110",
        GJ,
        "en",
        {"out_of_state": False, "expired": False, "nondisclosure": False, "form_number": "AO 110"},
        GJ_AO110,
    ),
    (
        "gj_cover_letter_request",
        GJ,
        "en",
        {"nondisclosure": False, "finding": "secrecy_requested"},
        GJ_COVER_LETTER,
    ),
    ("gj_edva_expired", GJ, "en", {"out_of_state": True, "expired": True}, GJ_EDVA),
    ("gj_with_gag_order", GJ, "en", {"nondisclosure": True, "out_of_state": False}, GJ_WITH_GAG),
)
