"""The markers that tell legal documents apart. Pure data and regular expressions.

Written from the published wording of the real forms (AO 93, AO 442, AO 110, AO 88B,
DHS Forms I-200, I-205, I-138, I-862 and I-247A, 18 U.S.C. 2703(d), 2705(b) and 2709,
19 U.S.C. 1509, 50 U.S.C. 1861, state warrants, orders and subpoenas) and the notes in
research/legal-documents.md. Patterns run on normalized text (see ``normalize``):
lower case, accents removed, dashes and quotes unified, whitespace collapsed. Words
are joined by ``[\\W_]*`` so a dropped or doubled space from OCR still matches.

Each marker has weights towards the kinds it points to, and roles used by the gates
in classify.py:

* ``caption``: a court's caption. ``judge``: a judge's or magistrate's signature line.
* ``issuer``: a subpoena's issuer who is not a judge (a clerk or an attorney). A subpoena
  with one can never come out as judicial either (classify.py, gate 2).
* ``veto``: immigration (DHS) or immigration-court wording. A document with any veto
  marker can never come out as judicial, whatever else it says.
* ``head_veto``: a veto only when it stands in the letterhead (the first lines); a
  judge's warrant may name an agent of Homeland Security Investigations further down.
* ``defining``: a kind is only a candidate when one of its defining markers is present.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from .jurisdiction import STATE_ALTERNATION

JS = "judicial_search_warrant"
JA = "judicial_arrest_warrant"
CO = "court_order"
FI = "fisa_order"
NSL = "national_security_letter"
GJ = "grand_jury_subpoena"
CS = "court_subpoena"  # issued by a court clerk or an attorney in a court case; no judge
AS = "administrative_subpoena"  # agency subpoenas and summonses (DHS, DEA, CBP, IRS...)
ICE = "ice_administrative_warrant"
DETAINER = "immigration_detainer"  # Form I-247A, a request addressed to jails
NTA = "notice_to_appear"
WA = "written_authorization"
UNKNOWN = "unknown"
# Pseudo-kinds: recognised, but reported as unknown with a reason of their own.
INFO = "informational"  # flyers and articles about warrants
IJ_ORDER = "immigration_judge_order"  # EOIR: an immigration judge is not a court judge
PSEUDO_KINDS = (INFO, IJ_ORDER)

KINDS = (JS, JA, CO, FI, NSL, GJ, CS, AS, ICE, DETAINER, NTA, WA, UNKNOWN)
JUDICIAL_KINDS = frozenset({JS, JA, CO, FI})  # the kinds that say signed_by_judge: true

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u00ad~"), "-")
_QUOTES = {
    ord("\u2018"): "'",
    ord("\u2019"): "'",
    ord("\u201c"): '"',
    ord("\u201d"): '"',
    ord("|"): "i",
}  # OCR reads a capital I as a bar


@dataclass(frozen=True)
class Normalized:
    """Text prepared for matching, with a map back to the original characters."""

    text: str
    index: tuple[int, ...]  # index[i]: position in the original of normalized char i
    original: str
    head_end: int  # normalized offset where the letterhead (first lines) ends

    def source(self, start: int, end: int) -> str:
        """The original text behind normalized[start:end], whitespace collapsed."""
        if start >= end or not self.index:
            return ""
        a = self.index[start]
        b = self.index[min(end, len(self.index)) - 1] + 1
        return " ".join(self.original[a:b].split())


def normalize(text: str, head_lines: int = 8) -> Normalized:
    out: list[str] = []
    index: list[int] = []
    head_end = None
    lines_seen = 0
    line_has_text = False
    for i, ch in enumerate(text):
        if ch == "\n":
            if line_has_text:
                lines_seen += 1
                line_has_text = False
                if lines_seen == head_lines and head_end is None:
                    head_end = len(out)
        if ch.isspace():
            if out and out[-1] != " ":
                out.append(" ")
                index.append(i)
            continue
        line_has_text = True
        ch = ch.translate(_DASHES).translate(_QUOTES)
        for part in unicodedata.normalize("NFKD", ch):
            if unicodedata.combining(part):
                continue
            for low in part.lower():
                out.append(low)
                index.append(i)
    norm = "".join(out)
    return Normalized(norm, tuple(index), text, len(norm) if head_end is None else head_end)


def phrase(words: str) -> str:
    """A tolerant pattern for a phrase (a regex): spaces match any run of non-word
    characters, including none, so OCR's dropped or doubled spaces still match."""
    return r"(?<!\w)" + words.replace(" ", r"[\W_]*") + r"(?!\w)"


# OCR reads I as 1, l or |, and 0 as o.
def form_number(digits: str) -> str:
    tolerant = "".join("[0o]" if d == "0" else d for d in digits)
    return r"(?<![\w-])[il1|][\s.]?-?[\s.]?" + tolerant + r"(?![\d])"


@dataclass(frozen=True)
class Marker:
    id: str
    patterns: tuple[str, ...]
    weights: dict[str, float]
    meaning: str
    roles: frozenset[str] = field(default_factory=frozenset)

    def compiled(self) -> tuple[re.Pattern[str], ...]:
        return _COMPILED[self.id]


def M(mid: str, patterns, weights, meaning, *roles) -> Marker:  # noqa: N802 - table helper
    if isinstance(patterns, str):
        patterns = (patterns,)
    return Marker(mid, tuple(patterns), dict(weights), meaning, frozenset(roles))


# fmt: off
MARKERS: tuple[Marker, ...] = (
    # --- Court captions -----------------------------------------------------------
    M("caption_federal", [phrase("united states district court"),
                          phrase("tribunal de distrito de (los )?estados unidos")],
      {JS: 1, JA: 1, CO: 1, GJ: 1, CS: 1}, "a federal court caption", "caption"),
    M("caption_state", [r"\bsuperior court of\b", r"\bcircuit court (of|for)\b",
                        r"\bdistrict court (of|for|,)", r"\bcourt of common pleas\b",
                        r"\bcounty court\b", r"\bsupreme court of the state\b",
                        r"\bjudicial[\W_]*(district|circuit)\b",
                        phrase("tribunal de primera instancia"), r"\btribunal superior\b",
                        r"\bcorte superior\b"],
      {JS: 1, JA: 1, CO: 1, CS: 1}, "a state court caption", "caption"),
    M("state_caption", [r"\b(the[\W_]*)?(state|commonwealth)[\W_]*of[\W_]*" + STATE_ALTERNATION],
      {JS: 0.5, JA: 0.5, CO: 0.5, CS: 0.5}, "a state's name in a caption (The State of Texas)",
      "caption"),
    M("caption_fisc", [phrase("foreign intelligence surveillance court"),
                       phrase("tribunal de vigilancia de inteligencia extranjera")],
      {FI: 5}, "the Foreign Intelligence Surveillance Court's caption", "caption", "defining"),
    M("people_of_state", [phrase("the people of the state of"), phrase("el pueblo de puerto rico"),
                          phrase("estado libre asociado de puerto rico")],
      {JS: 1, JA: 1, CS: 1}, "a state prosecution's caption", "caption"),
    # --- A judge's signature ------------------------------------------------------
    M("judge_signature", [phrase("judge's signature"), phrase("judges signature"),
                          phrase("signature of (the )?judge"), phrase("firma del (la )?juez(a)?")],
      {JS: 2, JA: 1, CO: 1}, "a judge's signature line", "judge"),
    M("magistrate_judge", [r"\bmagistrate[\W_]*judge\b", r"\bjuez(a)? magistrad[oa]\b"],
      {JS: 1, JA: 1, CO: 1}, "a magistrate judge", "judge"),
    M("court_judge", [r"\b(united states |u\.? ?s\.? )?district judge\b", r"\bcircuit judge\b",
                      r"\bjudge of the (superior|circuit|district|county) court\b",
                      r"\b(superior|circuit|county) court judge\b",
                      r"\bjudge\W{0,3}united states foreign intelligence surveillance court\b",
                      r"\bjuez(a)? (superior|municipal|de distrito|del tribunal)\b"],
      {JS: 1, JA: 1, CO: 1, FI: 1}, "a court judge's title", "judge"),
    M("given_under_hand", [phrase("given under my hand"), phrase("dado bajo mi firma")],
      {JS: 1, CO: 0.5}, "a magistrate's attestation", "judge"),
    # State signature blocks: "Judge ... Judge's No. 2071" (Cook County), "Judge ... Bar
    # no. P00000" (Michigan), "JUDGE PRESIDING" (Texas), "MAGISTRATE, Example County".
    M("judge_numbered", [r"\bjudge\b[\W_]*([a-z.'-]+[\W_]+){0,4}?(judge'?s?|bar|id)[\W_]*(no\b|number\b|#)",
                         r"\bjuez(a)?\b[\W_]*([a-z.'-]+[\W_]+){0,4}?num(ero)?[\W_]*de[\W_]*juez\b"],
      {JS: 1, JA: 1, CO: 1}, "a judge's signature with the judge's number", "judge"),
    M("judge_presiding", [phrase("judge presiding"), phrase("presiding judge"), phrase("juez que preside")],
      {JS: 1, JA: 1, CO: 1}, "signed by the presiding judge", "judge"),
    M("magistrate_signature", [r"\bmagistrate[\W_]*,[\W_]*([a-z]+[\W_]+)?county\b", phrase("justice of the peace")],
      {JS: 1, JA: 1, CO: 0.5}, "signed by a magistrate", "judge"),
    # --- Judicial search warrant --------------------------------------------------
    M("title_search_warrant", [phrase("search and seizure warrant"), r"\bsearch warrant\b",
                               phrase("orden de (registro|allanamiento)")],
      {JS: 3}, "titled a search warrant", "defining"),
    M("matter_of_search", [phrase("in the matter of the search of"),
                           phrase("en el asunto del registro de")],
      {JS: 2}, "names a place or thing to be searched", "defining"),
    M("search_command", [r"commanded[\W_]*to[\W_]*execute[\W_]*this[\W_]*warrant",
                         r"commanded[\W_]*to[\W_]*make[\W_]*(a[\W_]*)?search",
                         r"commanded[\W_]*to[\W_]*enter[\W_]*the[\W_]*suspected[\W_]*place",
                         r"se le ordena[\W_]*(que )?(realice|efectue|registrar|llevar a cabo)"],
      {JS: 2}, "commands a search", "defining"),
    M("any_officer", [phrase("to any peace officer"), phrase("any authorized law enforcement officer"),
                      phrase("to the sheriff or any peace officer"),
                      phrase("a cualquier agente del orden publico")],
      {JS: 1, JA: 1}, "addressed to law enforcement officers"),
    M("fourteen_days", [phrase("not to exceed 14 days"), phrase("no mas de 14 dias")],
      {JS: 1}, "the federal 14-day limit for executing a warrant"),
    M("fail_not", [phrase("herein fail not"), phrase("witness my hand")],
      {JS: 1}, "a state warrant's closing command to the officer"),
    # --- Judicial arrest warrant --------------------------------------------------
    M("title_arrest_warrant", [r"\barrest[\W_]*warrant\b",
                               r"\borden de arresto\b(?![\W_]*(de|contra)[\W_]*(un[\W_]*)?extranjero)"],
      {JA: 3}, "titled an arrest warrant", "defining"),
    M("arrest_command", [r"commanded[\W_]*to[\W_]*arrest[\W_]*and[\W_]*bring",
                         r"arrest[\W_]*and[\W_]*bring[\W_]*before"],
      {JA: 3}, "commands an arrest and appearance before a judge", "defining"),
    M("charging_document", [r"\bsuperseding (indictment|information)\b",
                            phrase("probation violation petition"), r"\bcriminal complaint\b",
                            r"\bacusacion\b"],
      {JA: 1}, "names the criminal charging document"),
    M("united_states_v", [r"\bunited states of america[\W_]*v(s)?\b\.?", r"\bestados unidos[\W_]*contra\b"],
      {JA: 1, CO: 0.5}, "a criminal case caption"),
    # --- Court order ----------------------------------------------------------------
    M("hereby_ordered", [phrase("it is (hereby |therefore |accordingly |further )?ordered"),
                         # OCR of a poor photo: "IT 1S HEREBY ORDERED", "lt is ordered"
                         r"\b[il1f]t[\W_]*[il1][s5][\W_]*(hereby[\W_]*|therefore[\W_]*|further[\W_]*)?ordered\b",
                         r"\bso ordered\b", phrase("(por la presente )?se ordena")],
      {CO: 3, FI: 1}, "orders something", "defining", "ordered"),
    M("order_for_records", [r"\b2703[\W_]*\(?d\)?", phrase("application of the united states"),
                            r"\border (requiring|directing|compelling|for) (the )?(production|disclosure)"],
      {CO: 2}, "an order for records (18 U.S.C. 2703(d) or similar)"),
    M("s2705b", [r"\b2705[\W_]*\(?b\)?"], {CO: 1},
      "a court's order not to tell anyone (18 U.S.C. 2705(b))"),
    # --- FISA ("Section 215") order -------------------------------------------------
    M("tangible_things", [phrase("tangible things"), phrase("cosas tangibles")],
      {FI: 3}, "production of tangible things (Section 215)"),
    M("s1861", [r"\b1861\b"], {FI: 3}, "50 U.S.C. 1861 (Section 215)", "defining"),
    M("br_docket", [r"\bbr[\W_]*\d{2}[\W_]*-[\W_]*\d{1,4}\b", phrase("primary order")],
      {FI: 1}, "a FISC business-records docket"),
    # --- National Security Letter ---------------------------------------------------
    M("fbi", [phrase("federal bureau of investigation"), phrase("buro federal de investigacion(es)?")],
      {NSL: 1}, "the FBI"),
    M("s2709", [r"\b2709\b"], {NSL: 5}, "18 U.S.C. 2709 (National Security Letter)", "defining"),
    M("nsl_title", [phrase("national security letter"), phrase("carta de seguridad nacional")],
      {NSL: 3}, "called a National Security Letter", "defining"),
    M("nsl_certification", [phrase("international terrorism or clandestine intelligence activities"),
                            phrase("terrorismo internacional")],
      {NSL: 2}, "the NSL's certification wording"),
    # --- Grand jury subpoena --------------------------------------------------------
    M("gj_title", [phrase("subpoena to testify before (a|the) grand jury"), phrase("grand jury subpoena"),
                   phrase("citacion (para testificar )?ante (un|el) gran jurado")],
      {GJ: 4}, "titled a grand jury subpoena", "defining"),
    M("grand_jury", [r"\bgrand[\W_]*jury\b", r"\bgran[\W_]*jurado\b"], {GJ: 2},
      "a grand jury", "defining"),
    M("clerk_signature", [phrase("signature of clerk or deputy clerk"),
                          r"\bclerk of (the )?court\b(?![\W_]*(is|shall|will|must|to|for)\b)",
                          r"\bdeputy clerk\b", r"\bclerk, by\b", phrase("secretari[oa] del tribunal")],
      {GJ: 1, CS: 1}, "signed by a court clerk, not a judge", "issuer"),
    M("ausa", [phrase("assistant united states attorney"), phrase("fiscal federal auxiliar")],
      {GJ: 1}, "a prosecutor requested it"),
    M("bring_with_you", [phrase("you must also bring with you"), phrase("debe traer consigo")],
      {GJ: 1, AS: 0.5, CS: 0.5}, "demands documents be brought"),
    # --- Subpoena issued by a clerk or an attorney in a court case ---------------------
    M("court_subpoena_title", [phrase("order to attend court or provide documents"),
                               r"\bsubpoena[\W_]*duces[\W_]*tecum\b",
                               phrase("subpoena to produce documents"),
                               phrase("subpoena to (appear and )?testify at a (hearing|trial|deposition)"),
                               r"\bsubpoena (in a|for a) (civil|criminal)\b", phrase("criminal subpoena"),
                               phrase("witness subpoena"), phrase("citacion (judicial|de testigo)")],
      {CS: 4}, "titled a subpoena in a court case", "defining"),
    M("we_command_you", [phrase("we command you"), phrase("you are ordered to (appear|produce|bring)")],
      {CS: 1}, "a subpoena's command to attend or bring records"),
    M("attorney_issuer", [phrase("attorney's signature"), phrase("signature of (the )?attorney"),
                          phrase("(assistant |deputy )?district attorney"), phrase("(assistant )?state's attorney"),
                          phrase("who issues or requests this subpoena"), phrase("attorney (of record|issuing)"),
                          r"\batty\.?[\W_]*no\b"],
      {CS: 2}, "issued or prepared by an attorney, not a judge", "issuer"),
    M("contempt", [r"\b(punished|punishable)[\W_]*as[\W_]*contempt\b", phrase("contempt of court"),
                   phrase("desacato")],
      {CS: 1, GJ: 0.5}, "warns that disobeying it may be contempt of court"),
    # --- Administrative subpoena ----------------------------------------------------
    M("imm_subpoena_title", [phrase("immigration enforcement subpoena"),
                             phrase("citacion (administrativa )?de (control|cumplimiento) de inmigracion")],
      {AS: 5}, "titled an immigration enforcement subpoena (DHS)", "veto", "defining"),
    M("admin_subpoena_title", [phrase("administrative subpoena"), phrase("citacion administrativa")],
      {AS: 3}, "titled an administrative subpoena", "defining"),
    M("subpoena_word", [r"\bsubpoena\b", r"\bcitacion\b"], {AS: 1, GJ: 1, CS: 1}, "a subpoena", "defining"),
    M("produce_command", [r"commanded([\W_]*and[\W_]*required)?[\W_]*to[\W_]*(appear|produce|give)",
                          r"required[\W_]*to[\W_]*produce",
                          r"se le ordena[\W_]*(comparecer|presentar|entregar)"],
      {AS: 1, GJ: 1, CS: 1}, "commands testimony or records"),
    M("s1225d", [r"\b1225[\W_]*\(?d\)?", r"\b287\.4\b", phrase(r"section 235\(d\)")],
      {AS: 3}, "DHS subpoena authority (8 U.S.C. 1225(d), 8 CFR 287.4)", "veto"),
    M("agency_subpoena_authority", [phrase("drug enforcement administration"), r"\b21[\W_]*u\.?[\W_]*s\.?[\W_]*c\.?[\W_]*(§[\W_]*)?876\b",
                                    r"\binspector general\b"],
      {AS: 2}, "an agency's own subpoena power", "defining"),
    M("enforce_in_court", [phrase("failure to comply with this (subpoena|summons)"),
                           phrase("el incumplimiento de esta citacion")],
      {AS: 1}, "warns of later court enforcement: not itself a court order"),
    # --- Agency summonses (administrative) -----------------------------------------------
    M("summons_title", [r"\bsummons\b"], {AS: 2}, "titled a summons", "defining"),
    M("summoned", [r"\bhereby[\W_]*summoned\b", r"\bsummoned[\W_]*and[\W_]*required\b"],
      {AS: 2}, "summons a person to appear or produce records"),
    M("s1509", [r"\b19[\W_]*u[\W_]*s[\W_]*c[\W_]*(§[\W_]*)?1509\b", phrase("section 1509")],
      {AS: 4}, "19 U.S.C. 1509: a customs summons (CBP), signed by an agency official", "defining"),
    M("cbp", [phrase("customs and border protection"), phrase("aduanas y proteccion fronteriza")],
      {AS: 1, ICE: 0.5}, "U.S. Customs and Border Protection", "head_veto"),
    M("irs_summons", [phrase("internal revenue service"), phrase("commissioner of internal revenue"),
                      r"\b26[\W_]*u[\W_]*s[\W_]*c[\W_]*(§[\W_]*)?76(02|03|04|09)\b"],
      {AS: 2}, "the IRS's summons power (26 U.S.C. 7602)", "defining"),
    # --- ICE administrative warrants (I-200, I-205) --------------------------------
    M("dhs", [r"\b(u[\W_]*s[\W_]*)?department[\W_]*of[\W_]*homeland[\W_]*security\b",
              phrase("departamento de seguridad nacional")],
      {ICE: 1, AS: 1, NTA: 1}, "the Department of Homeland Security", "head_veto"),
    M("ice_agency", [phrase("immigration and customs enforcement"),
                     phrase("servicio de inmigracion y control de aduanas")],
      {ICE: 1, AS: 1, NTA: 0.5}, "ICE", "head_veto"),
    M("i200_title", [phrase("warrant for arrest of alien"), phrase("orden de arresto (de|contra) (un )?extranjero")],
      {ICE: 6}, "titled Warrant for Arrest of Alien (Form I-200)", "veto", "defining"),
    M("i205_title", [r"\bwarrant[\W_]*of[\W_]*(removal([\W_]*/[\W_]*deportation)?|deportation)\b",
                     phrase("orden de (expulsion|deportacion)")],
      {ICE: 6}, "titled Warrant of Removal/Deportation (Form I-205)", "veto", "defining"),
    M("immigration_officer", [phrase("authorized immigration officer"),
                              phrase("(signature|title) of (the )?immigration officer"),
                              phrase("any immigration officer"),
                              phrase("funcionario de inmigracion( autorizado)?"),
                              phrase("oficial de inmigracion( autorizado)?")],
      {ICE: 2, NTA: 0.5}, "signed by an immigration officer, not a judge", "veto"),
    M("removable", [phrase("is removable from the united states"), phrase("subject to removal"),
                    r"\bes[\W_]*deportable\b", phrase("sujet[oa] a (expulsion|deportacion)")],
      {ICE: 2, NTA: 1}, "says a person is removable (civil immigration)", "veto"),
    M("ina", [phrase("immigration and nationality act"), phrase("ley de inmigracion y nacionalidad")],
      {ICE: 1, NTA: 1, AS: 0.5}, "the Immigration and Nationality Act"),
    M("final_order", [phrase("final order by"), phrase("final order of removal"),
                      phrase("orden final (de|por)")],
      {ICE: 1}, "refers to a final removal order", "veto"),
    M("certificate_of_service", [phrase("certificate of service"), phrase("certificado de notificacion")],
      {ICE: 0.5, NTA: 0.5}, "a certificate of service"),
    # --- Form numbers -----------------------------------------------------------------
    M("form_i200", [form_number("200")], {ICE: 3}, "DHS Form I-200", "veto", "defining"),
    M("form_i205", [form_number("205")], {ICE: 3}, "DHS Form I-205", "veto", "defining"),
    M("form_i138", [form_number("138")], {AS: 3}, "DHS Form I-138 (subpoena)", "veto", "defining"),
    M("form_i862", [form_number("862")], {NTA: 3}, "DHS Form I-862 (Notice to Appear)", "veto", "defining"),
    M("form_i247", [form_number("247a?")], {DETAINER: 3}, "DHS Form I-247 (detainer, addressed to jails)",
      "veto", "defining"),
    # --- Notice to Appear -------------------------------------------------------------
    M("nta_title", [phrase("notice to appear"), phrase("aviso de comparecencia"),
                    phrase("notificacion de comparecencia")],
      {NTA: 5}, "titled Notice to Appear", "veto", "defining"),
    M("removal_proceedings", [phrase("removal proceedings"), phrase("procedimientos? de (expulsion|deportacion)")],
      {NTA: 2, ICE: 1}, "civil removal proceedings", "veto"),
    M("section_240", [phrase("section 240 of the immigration and nationality act"),
                      phrase("seccion 240 de la ley de inmigracion")],
      {NTA: 2}, "section 240 of the INA", "veto"),
    M("appear_before_ij", [r"ordered[\W_]*to[\W_]*appear[\W_]*before[\W_]*an[\W_]*immigration[\W_]*judge",
                           r"comparecer[\W_]*ante[\W_]*un[\W_]*juez[\W_]*de[\W_]*inmigracion"],
      {NTA: 4}, "orders a person to appear before an immigration judge", "veto", "defining"),
    M("respondent", [r"\brespondent\b", r"\brespondiente\b"], {NTA: 1}, "names a respondent"),
    M("dhs_alleges", [phrase("department of homeland security alleges"), phrase("arriving alien"),
                      phrase("seguridad nacional alega")],
      {NTA: 1}, "DHS's allegations against a person", "veto"),
    # --- Immigration court (an immigration judge is not a court judge) -----------------
    M("immigration_court", [phrase("executive office for immigration review"), r"\bimmigration[\W_]*court\b",
                            r"\bimmigration[\W_]*judge\b", phrase("board of immigration appeals"),
                            phrase("tribunal de inmigracion"), phrase("juez de inmigracion")],
      {NTA: 0.5, IJ_ORDER: 2}, "an immigration court or judge (Justice Department, not a court of law)",
      "veto"),
    M("ij_order_title", [phrase("order of the immigration judge"), phrase("orden del juez de inmigracion")],
      {IJ_ORDER: 8}, "an immigration judge's order", "veto", "defining"),
    M("detainer_title", [phrase("immigration detainer"), phrase("notice of action"),
                         phrase("(solicitud de )?detencion de inmigracion")],
      {DETAINER: 6}, "an immigration detainer, addressed to jails", "veto", "defining"),
    M("detainer_request", [phrase("maintain custody"), phrase("not to exceed 48 hours"),
                           phrase("no more than 48 hours"), phrase("mantenga bajo custodia"),
                           phrase("48 horas")],
      {DETAINER: 2}, "asks a jail to hold a person for up to 48 hours", "veto"),
    # --- A patron's written authorization ---------------------------------------------
    M("patron_authorizes", [r"(?<![\w,])[i1l],?[^.]{0,90}\bauthori[sz]e\b", r"\bautorizo\b"],
      {WA: 3}, "a person authorizes release of their own records", "defining"),
    M("patron_permission", [r"\b(i|we)[\W_]*(give|grant|am giving)[\W_]*(my[\W_]*|our[\W_]*)?permission\b",
                            r"\bpermission for\b[^.]{0,80}\bto (pick up|collect|check out|borrow|see|view)\b",
                            r"\bdoy[\W_]*(mi[\W_]*)?permiso\b",
                            r"\bpermiso (a|para)\b[^.]{0,80}\b(recoger|retirar|ver)\b"],
      {WA: 3}, "a patron gives someone permission (to pick up holds, to see the account)", "defining"),
    M("authorization_title", [phrase("authorization to (release|disclose|share|inspect)"),
                              phrase("autorizacion para (divulgar|compartir|mostrar|revisar)")],
      {WA: 2}, "titled an authorization to release records", "defining"),
    M("release_my_records", [r"\b(release|disclose|share|inspect|view)\b[^.]{0,80}\bmy\b[^.]{0,40}\b(records|account|history)\b",
                             r"\b(pick up|collect)\b[^.]{0,30}\bmy\b[^.]{0,20}\b(holds|books|items|requests)\b",
                             r"\b(recoger|retirar)\b[^.]{0,20}\bmis (reservas|libros|pedidos)\b",
                             r"\bmis registros\b", r"\bmi (cuenta|historial)\b"],
      {WA: 2}, "about the signer's own records"),
    M("patron_signature", [r"\b(patron|cardholder|card holder)'?s? signature\b",
                           phrase("signature of (the )?(library )?(patron|cardholder)"),
                           phrase("firma del (usuario|titular)")],
      {WA: 2}, "signed by a library patron", "defining"),
    # A card number alone says nothing about who signed: orders and subpoenas quote them.
    M("card_number", [r"\blibrary card number\b", r"\bnumero de (la )?tarjeta\b"],
      {WA: 1}, "gives a library card number"),
    M("revocable", [r"\brevoke\b", r"\brevocar\b", r"\bconsent\b", r"\bconsentimiento\b"],
      {WA: 1}, "consent wording"),
    # --- Not a document at all: a flyer, a guide, an article -------------------------
    M("informational", [phrase("know your rights"), phrase("conozca sus derechos"),
                        phrase("not legal advice"), phrase("no es asesoria legal"),
                        phrase("what to do if"), phrase("que hacer si"), r"\bhotline\b",
                        phrase("linea de ayuda"), r"\bthis (flyer|guide|leaflet|handout)\b"],
      {INFO: 3}, "informational text about legal documents, not a document itself"),
)
# fmt: on

_COMPILED: dict[str, tuple[re.Pattern[str], ...]] = {
    m.id: tuple(re.compile(p) for p in m.patterns) for m in MARKERS
}
BY_ID = {m.id: m for m in MARKERS}

# Phrases hidden before judge markers are looked for: an immigration judge, or the
# I-205 checkbox naming a court judge, must never count as a judge's signature.
NOT_A_JUDGE = re.compile(
    r"immigration[\W_]*(court[\W_]*)?judge|juez[\W_]*de[\W_]*inmigracion"
    r"|district[\W_]*or[\W_]*magistrate[\W_]*court[\W_]*judge"
    r"|before[\W_]*a[\W_]*(united[\W_]*states[\W_]*)?magistrate[\W_]*judge"
)

# Secrecy: wording that imposes it, versus a request for it (a request is not a gag).
SECRECY_IMPOSED = tuple(
    re.compile(p)
    for p in (
        r"\b2709[\W_]*\(c\)",
        r"\b1861[\W_]*\(d\)",
        r"\b2705[\W_]*\(b\)",
        r"\bno person shall disclose\b",
        r"\b(prohibits|prohibited|shall not|must not|may not|ordered not to|se le prohibe|no debera|no podra)"
        r"\b[^.]{0,100}\b(disclos\w*|reveal\w*|revelar|divulgar)",
    )
)
SECRECY_REQUESTED = tuple(
    re.compile(p)
    for p in (
        r"\b(request|requests|requested|ask|asks|asked|urge|urges)\b[^.]{0,80}\b(not|refrain)\b[^.]{0,40}(disclos|reveal|notify)",
        r"\bse le (solicita|pide)\b[^.]{0,60}\bno\b",
    )
)

# Section 215 (50 U.S.C. 1861) lapsed on 15 March 2020 (CRS R40138); later orders are
# a red flag for counsel to check (research notes mark the date unverified).
SECTION_215_SUNSET = "2020-03-15"
