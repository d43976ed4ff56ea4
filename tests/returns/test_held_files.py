"""A consent PDF or a case document is kept when its form comes back with an error."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile

from returns.models import CaseDocument, ReturnCase

from .conftest import PDF_BYTES
from .factories import ReturnCaseFactory
from .test_intake import URL, referral


def held(page: str, field: str) -> list[str]:
    return re.findall(rf'type="hidden" name="{field}-held" value="([^"]+)"', page)


def consent():
    return SimpleUploadedFile("signed consent.pdf", PDF_BYTES, content_type="application/pdf")


def test_a_referral_sent_back_with_an_error_keeps_its_consent_pdf(client, caseworker):
    client.force_login(caseworker)
    page = client.post(URL, {**referral(full_name=""), "document": consent()}).content.decode()
    assert "This field is required" in page
    assert "Attached: signed consent.pdf" in page
    assert "Documents are kept as sent." in page
    assert not ReturnCase.objects.exists()

    response = client.post(URL, {**referral(), "document-held": held(page, "document")})
    assert response.status_code == 302
    document = ReturnCase.objects.get().documents.get()
    assert document.original_name == "signed consent.pdf"
    assert document.file.open("rb").read() == PDF_BYTES


def test_a_referral_can_drop_the_held_consent_pdf(client, caseworker):
    client.force_login(caseworker)
    page = client.post(URL, {**referral(full_name=""), "document": consent()}).content.decode()
    token = held(page, "document")
    page = client.post(
        URL, {**referral(), "document-held": token, "held-remove": token[0]}
    ).content.decode()
    assert "Attached: signed consent.pdf" not in page
    assert not ReturnCase.objects.exists()  # Remove sends nothing
    response = client.post(URL, referral())
    assert response.status_code == 302
    assert not CaseDocument.objects.exists()


def test_a_case_document_sent_without_its_kind_is_kept(client, caseworker):
    client.force_login(caseworker)
    case = ReturnCaseFactory(assigned_caseworker=caseworker)
    url = f"/returns/cases/{case.reference}/documents/"
    page = client.post(url, {"kind": "", "file": consent()}).content.decode()
    assert "Attached: signed consent.pdf" in page
    response = client.post(url, {"kind": "identity", "file-held": held(page, "file")})
    assert response.status_code == 302
    assert CaseDocument.objects.get(case=case).file.open("rb").read() == PDF_BYTES
