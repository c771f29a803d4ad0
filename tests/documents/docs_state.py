"""Corpus: state court papers in the wording states use. Warrants addressed "To the
Sheriff or any Peace Officer" and signed by a magistrate or a district judge (Texas
Code of Criminal Procedure arts. 18.04 and 18.06), orders signed "Judge" with a judge's
or bar number and no AO form number (Cook County, Michigan, Texas), and subpoenas issued
by a court clerk or by an attorney, which no judge signs (California's "Order to attend
court or provide documents", a New York district attorney's subpoena duces tecum, the
federal AO 88B). Written from the public descriptions in research/legal-documents.md,
in our own words; every person, court number, case and address is made up.
"""

JS = "judicial_search_warrant"
CO = "court_order"
CS = "court_subpoena"

TX_MAGISTRATE = """
SEARCH WARRANT

THE STATE OF TEXAS      §
                        §
COUNTY OF EXAMPLE       §

THE STATE OF TEXAS: To the Sheriff or any Peace Officer of Example County, Texas,
greetings.

A sworn affidavit has been made before me by Investigator Jamie Fictive, a peace
officer of Example County, setting out facts that give probable cause to believe
that the property described below is kept at the place described below.
You are therefore commanded to enter the suspected place, namely the Lakeview
Community Center at 2200 Sample Road, Lakeview, Texas, and there to search for the
following property and to seize it: the paper sign-in sheets for the public
computers for May 20, 2025.

Herein fail not, and return this warrant within three days, exclusive of the day
of its issuance, showing how you have executed it.

Issued at 3:15 o'clock p.m. on this the 14th day of June, 2025, to certify which
witness my hand.

Dana Sampleton
MAGISTRATE, Example County, Texas
"""

TX_DISTRICT_JUDGE = """
THE STATE OF TEXAS
COUNTY OF EXAMPLE
SEARCH WARRANT No. 25-SW-0310

THE STATE OF TEXAS, to the Sheriff or any Peace Officer of Example County, Texas:
Whereas an affidavit in writing, sworn to before me, sets out grounds to believe
that evidence of an offense is kept at the premises located at 41 Imaginary Lane,
Lakeview, Texas, you are commanded to enter the suspected place and to search it
for: a laptop computer on loan from a public library, serial number 0000-EX.

Herein fail not, but have you then and there this warrant within three days,
exclusive of the day of its issuance, with your return thereon.

Issued this 11th day of June, 2025.
Reese Exemplar
District Judge, 999th Judicial District
"""

COOK_ORDER = """
IN THE CIRCUIT COURT OF COOK COUNTY, ILLINOIS
COUNTY DEPARTMENT, CRIMINAL DIVISION

PEOPLE OF THE STATE OF ILLINOIS
v.                                        No. 25 CR 0000101
Robin Testcase

ORDER

This cause coming before the Court on the motion of the People, due notice
having been given and the Court being fully advised,
IT IS HEREBY ORDERED: the custodian of records of Riverside Public Library shall
deliver to the Clerk of the Circuit Court, within 21 days, the study room
reservations made with library card number 0000-2468 in April 2025.

Atty. No.: 99999
Name: Sample Prosecutor, Assistant State's Attorney
Atty. for: The People
Address: 2650 Example Street, Chicago, Illinois

ENTERED: June 9, 2025
Judge Morgan Exempla                     Judge's No. 2071
"""

MICHIGAN_ORDER = """
STATE OF MICHIGAN
99TH JUDICIAL DISTRICT
EXAMPLE COUNTY

ORDER FOR PRODUCTION OF LIBRARY RECORDS          CASE NO. 25-000123-FY

People of the State of Michigan v. Kit Nonesuch

THE COURT FINDS that the records described below are relevant to this case.
IT IS ORDERED that Riverside Public Library produce to the court, by July 3, 2025,
the interlibrary loan requests placed with card 0000-1122 in March 2025.

Date: June 11, 2025
Judge Alexis Madeup                           Bar no. P00000
"""

TX_ORDER = """
CAUSE NO. 2025-00000

THE STATE OF TEXAS            §     IN THE DISTRICT COURT OF
V.                            §     EXAMPLE COUNTY, TEXAS
JORDAN NONESUCH               §     999TH JUDICIAL DISTRICT

ORDER TO PRODUCE RECORDS

On this day the Court considered the State's motion. Having reviewed it, the Court
finds it should be granted. IT IS THEREFORE ORDERED that Riverside Public Library
produce to the District Attorney, within fourteen days, the meeting room
reservations made in the name of Jordan Nonesuch between January 1 and March 31,
2025.

SIGNED on June 10, 2025.

Parker Madeupson
JUDGE PRESIDING
"""

CA_ORDER_TO_ATTEND = """
SUPERIOR COURT OF CALIFORNIA, COUNTY OF RIVERSIDE
PEOPLE OF THE STATE OF CALIFORNIA v. Kit Fakename       Case Number: RIF2500888

ORDER TO ATTEND COURT OR PROVIDE DOCUMENTS:
SUBPOENA / SUBPOENA DUCES TECUM

THE PEOPLE OF THE STATE OF CALIFORNIA, TO (name of witness): Custodian of Records,
Riverside Public Library, 100 Example Avenue, Riverside, California

1. YOU ARE ORDERED TO APPEAR AS A WITNESS in this case at the date, time and
place shown below, unless you make another arrangement with the person named in
item 4.
Date: July 14, 2025    Time: 8:30 a.m.    Dept.: 42
Address: 4100 Example Court Plaza, Riverside, California
2. You are ordered to bring the records described in item 3.
3. Records to bring: the public computer reservation log for June 1, 2025.
4. Questions about this subpoena: Jules Example, Deputy District Attorney,
(555) 010-0000.

Disobeying this subpoena may be punished as contempt by this court.

Date issued: June 10, 2025
Sam Notajudge, Deputy Clerk
(Signature of person issuing subpoena)      (Title)
"""

NY_ADA_SUBPOENA = """
SUBPOENA DUCES TECUM

COUNTY COURT OF THE STATE OF NEW YORK, COUNTY OF EXAMPLE

THE PEOPLE OF THE STATE OF NEW YORK
against
Reese Nonesuch                                   Indictment No. 00000-25

THE PEOPLE OF THE STATE OF NEW YORK
TO: Custodian of Records, Riverside Public Library

WE COMMAND YOU to attend before the County Court of Example County, at the
Courthouse, 10 Sample Square, Example City, New York, on the 21st day of July,
2025, at 9:30 a.m., and to bring with you the meeting room booking records for
the Oak Room for March 2025. Failure to comply may be punished as contempt of
court.

WITNESS, Honorable Parker Imaginario, one of the Judges of said Court, at Example
City, New York, this 9th day of June, 2025.

Quinn Ficticio
Assistant District Attorney
"""

AO88B_ATTORNEY = """
AO 88B (Rev. 02/14) Subpoena to Produce Documents, Information, or Objects or to
Permit Inspection of Premises in a Civil Action

UNITED STATES DISTRICT COURT
for the
Central District of California

Example Holdings LLC, Plaintiff
v.                                          Civil Action No. 5:25-cv-00042
Sample Widgets Inc., Defendant

SUBPOENA TO PRODUCE DOCUMENTS, INFORMATION, OR OBJECTS
OR TO PERMIT INSPECTION OF PREMISES IN A CIVIL ACTION

To: Riverside Public Library, 100 Example Avenue, Riverside, California

YOU ARE COMMANDED to produce at the time, date, and place set forth below the
following documents: records of meeting room bookings made by Sample Widgets Inc.
in 2024.
Place: 700 Example Tower, Suite 12, Riverside, California
Date and Time: July 2, 2025 10:00 a.m.

Date: June 6, 2025
CLERK OF COURT
OR
/s/ Drew Counselor
Attorney's signature

The name, address, e-mail address, and telephone number of the attorney
representing Example Holdings LLC, who issues or requests this subpoena, are:
Drew Counselor, 700 Example Tower, Riverside, California, (555) 010-0101.
"""

DOCS = (
    (
        "js_texas_magistrate",
        JS,
        "en",
        {
            "out_of_state": True,
            "expired": False,
            "issued": "2025-06-14",
            "premises": "2200 Sample Road",
            "names_other_premises": True,
        },
        TX_MAGISTRATE,
    ),
    (
        "js_texas_district_judge",
        JS,
        "en",
        {
            "out_of_state": True,
            "expired": True,
            "issued": "2025-06-11",
            "premises": "41 Imaginary Lane",
            "names_other_premises": True,
        },
        TX_DISTRICT_JUDGE,
    ),
    (
        "co_cook_judge_no",
        CO,
        "en",
        {"out_of_state": True, "issued": "2025-06-09", "no_finding": "patron_signature"},
        COOK_ORDER,
    ),
    (
        "co_michigan_bar_no",
        CO,
        "en",
        {"out_of_state": True, "issued": "2025-06-11", "form_number": None},
        MICHIGAN_ORDER,
    ),
    ("co_texas_presiding", CO, "en", {"out_of_state": True, "issued": "2025-06-10"}, TX_ORDER),
    (
        "cs_ca_order_to_attend",
        CS,
        "en",
        {"out_of_state": False, "issued": "2025-06-10", "return_date": "2025-07-14"},
        CA_ORDER_TO_ATTEND,
    ),
    (
        "cs_ny_ada_teste",
        CS,
        "en",
        {"out_of_state": True, "issued": "2025-06-09", "return_date": "2025-07-21"},
        NY_ADA_SUBPOENA,
    ),
    (
        "cs_ao88b_attorney",
        CS,
        "en",
        {"form_number": "AO 88B", "issued": "2025-06-06", "return_date": "2025-07-02"},
        AO88B_ATTORNEY,
    ),
)
