"""A complaint with evidence comes back with an error once; its files are kept, and the officer
gets them with the report."""

from pathlib import Path

from iris.models import Complaint
from tests.iris.factories import RecruiterFactory
from tests.pictures import png_bytes

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_evidence_survives_a_form_error_and_reaches_the_officer(
    new_page, officer, sign_in, assert_accessible, screenshot, tmp_path
):
    RecruiterFactory(legal_name="Fast Jobs Abroad SRL", slug="fast-jobs-abroad")
    contract, payslip, wrong = (
        tmp_path / "contract.pdf",
        tmp_path / "payslip.png",
        tmp_path / "x.pdf",
    )
    contract.write_bytes(PDF)
    payslip.write_bytes(png_bytes())
    wrong.write_bytes(PDF + b"% the wrong file\n")

    person = new_page()
    person.goto("/iris/complaints/new/?recruiter=fast-jobs-abroad")
    person.get_by_label("Fees charged to the worker").check()
    person.get_by_label("When did it happen?").fill("Spring 2026")
    person.get_by_label("Evidence (optional)").set_input_files(
        [str(contract), str(payslip), str(wrong)]
    )
    person.get_by_label("I want to stay anonymous").check()
    # She forgets to say what happened.
    person.get_by_role("button", name="Send report").click()

    person.get_by_role("alert", name="There is a problem").get_by_text(
        "Tell us what happened."
    ).wait_for()
    for name in ("contract.pdf", "payslip.png", "x.pdf"):
        assert person.get_by_text(f"Attached: {name}").is_visible()
    assert_accessible(person)
    screenshot(person, "iris-complaint-files-kept")

    # She drops the file she chose by mistake; nothing is sent yet.
    person.get_by_role("button", name="Remove x.pdf").click()
    person.get_by_text("Attached: contract.pdf").wait_for()
    assert person.get_by_text("Attached: x.pdf").count() == 0
    assert person.get_by_text("Attached: payslip.png").is_visible()
    assert not Complaint.objects.exists()

    person.get_by_label("Tell us what happened").fill(
        "They took 900 euros for a job that was not there."
    )
    person.get_by_role("button", name="Send report").click()
    person.get_by_role("heading", name="Report received").wait_for()
    complaint = Complaint.objects.get()

    desk = new_page()
    sign_in(desk, "officer", "officer-pass-123", f"/staff/iris/complaints/{complaint.reference}/")
    desk.get_by_text("They took 900 euros for a job that was not there.").wait_for()
    downloads = desk.get_by_role("link", name="Download evidence")
    assert downloads.count() == 2
    received = []
    for index in range(2):
        with desk.expect_download() as download:
            downloads.nth(index).click()
        received.append(Path(download.value.path()).read_bytes())
    assert sorted(received) == sorted([PDF, png_bytes()])
