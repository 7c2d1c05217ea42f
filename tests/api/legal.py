"""Helpers shared by the legal affairs tests (test_80_review, test_81_normdocs,
test_82_decisions): submitting and concluding 合法性审查 cases, registering
normative documents, reading figures, and opening .docx/.xlsx replies.
"""

import io
import urllib.parse
import zipfile

from cases import *  # noqa: F401,F403 (case helpers, and through them the harness)

ROOT_DIVISION = "330421"
FGJ = "嘉善县发展和改革局"
GOV_OFFICE = "嘉善县人民政府办公室"


def review_body(subject, title, submitter, received, **extra):
    body = {"subject_kind": subject, "subject_title": title, "submitting_org_id": org_by_name(submitter)["id"],
            "received_date": received}
    body.update(extra)
    return body


def new_review(c, subject, title, submitter, received, **extra):
    """Submit a 合法性审查 request (201 asserted); returns its detail."""
    js = expect(c.post("/api/v1/reviews", review_body(subject, title, submitter, received, **extra)), 201,
                "submit review of %s" % title)
    return js


def staff_user_id():
    return user_by_name("staff")["id"]


def conclude_review(c, rid, date, conclusion="lawful", opinions=(), adoptions=None, close=True, simple=False):
    """Accept, assign the staff reviewer, add opinions, conclude, record adoptions
    (one per opinion: "adopted", "partly", "not_adopted") and close; the detail."""
    act_ok(c, rid, "accept", date, procedure="simple" if simple else "ordinary")
    act_ok(c, rid, "add_reviewer", date, reviewer_type="staff", user_id=staff_user_id(), lead=True)
    for text in opinions:
        act_ok(c, rid, "add_opinion", date, content=text)
    note = None if conclusion in ("lawful", "lawful_after_revision") else "不符合上位法规定"
    fields = {"conclusion": conclusion}
    if note:
        fields["note"] = note
    js = act_ok(c, rid, "conclude", date, **fields)
    for op, adoption in zip(js["fields"]["opinions"], adoptions or ()):
        extra = {} if adoption == "adopted" else {"reason": "起草单位说明了理由"}
        js = act_ok(c, rid, "record_adoption", date, opinion_id=op["id"], adoption=adoption, **extra)
    if close:
        js = act_ok(c, rid, "close", date)
    return js


def figures(c, year, org=ROOT_DIVISION):
    return expect(c.get("/api/v1/metrics?org=%s&year=%d" % (org, year)), 200, "metrics %d" % year)["metrics"]


def quote(s):
    return urllib.parse.quote(s)


def zip_text(raw, member):
    """One member of a .docx/.xlsx (zip) as text."""
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        return z.read(member).decode("utf-8")


def zip_all_text(raw):
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
