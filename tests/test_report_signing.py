"""Every exported report carries the organisation's PDF signature: checked with the public key
alone (no account, no data), refused when a printed number was changed whatever is written to
the database, valid for poppler's own checker, and saying when the figures changed since."""

import io
import re
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pypdf
import pytest
from cryptography.hazmat.primitives import serialization
from pypdf.generic import ContentStream, NameObject
from sqlalchemy import select, update

from peerdesk.cli import main
from peerdesk.db.store import Store
from peerdesk.errors import PeerdeskError
from peerdesk.models import ReportExport, SigningKey, UserRole
from peerdesk.reports.export import export_governance
from peerdesk.reports.signature import Outcome, check_report, sign_report
from peerdesk.reports.verify import verify_signed_in, verify_with_certificate
from peerdesk.services import setup
from peerdesk.services.permissions import PermissionDenied
from peerdesk.services.reporting.figures import Audience, Period
from peerdesk.services.reporting.records import file_sha256
from peerdesk.services.signing_key import (
    OrganisationKey,
    PublicKey,
    new_signing_key,
    public_key,
    signing_key,
)
from tests.conftest import TEST_SECRET, TEST_USER
from tests.test_report_governance import PERIOD, TODAY, person
from tests.test_report_trust import add_starter

pytestmark = pytest.mark.today(TODAY)
QPDF = shutil.which("qpdf")
PDFSIG = shutil.which("pdfsig")


@pytest.fixture
def demo(store: Store) -> Store:
    from peerdesk.demo import generate_demo

    generate_demo(store, seed=7, size="small", today=TODAY)
    return store


@pytest.fixture
def exported(demo: Store, tmp_path: Path) -> tuple[Path, Path]:
    """A governance report and the organisation's public key file, as a funder gets them."""
    coordinator = person(demo, "coordinator", UserRole.COORDINATOR)
    out = tmp_path / "report.pdf"
    export_governance(coordinator, PERIOD, out)
    key = tmp_path / "org-key.pem"
    key.write_text(public_key(demo).certificate_pem)
    return out, key


def funder_checks(pdf: Path, key: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """`peerdesk report verify FILE --key KEY` with no data folder and no password."""
    nowhere = pdf.parent / "no-data-here"
    code = main(["--data-dir", str(nowhere), "report", "verify", str(pdf), "--key", str(key)])
    assert not nowhere.exists()
    return code, capsys.readouterr().out.strip()


def test_an_untouched_report_verifies_with_the_public_key_alone(
    exported: tuple[Path, Path],
    demo: Store,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out, key = exported
    with demo.read() as s:
        code = s.scalars(select(ReportExport.report_code)).one()
    demo.close(backup=False)
    monkeypatch.delenv("PEERDESK_PASSWORD", raising=False)
    monkeypatch.delenv("PEERDESK_USER", raising=False)
    status, said = funder_checks(out, key, capsys)
    assert status == 0
    assert said == (
        f"Valid: report.pdf is unchanged since it was signed by Riverside Peer Support (demo) on "
        f"26 Nov 2026 (report {code})."
    )


def replace_in_page_text(data: bytes, page_no: int, old: bytes, new: bytes) -> bytes:
    """The PDF with one printed figure changed, the way an editor saves it: the page's content
    rewritten and appended as an incremental update, every signed byte left as it was."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    writer = pypdf.PdfWriter(reader, incremental=True)
    page = writer.pages[page_no]
    content = ContentStream(page.get_contents(), reader)
    raw = content.get_data()
    assert old in raw
    content.set_data(raw.replace(old, new, 1))
    page[NameObject("/Contents")] = writer._add_object(content)
    buffer = io.BytesIO()
    writer.write(buffer)
    changed = buffer.getvalue()
    assert changed.startswith(data)  # the signed revision is untouched
    return changed


def qdf_edit(data: bytes, old: bytes, new: bytes, tmp_path: Path) -> bytes:
    """The PDF uncompressed with `qpdf --qdf` and one printed figure byte-replaced."""
    if QPDF is None:
        pytest.skip("qpdf is not installed (scripts/ensure-system-libs installs it)")
    source, plain = tmp_path / "in.pdf", tmp_path / "qdf.pdf"
    source.write_bytes(data)
    subprocess.run([QPDF, "--qdf", str(source), str(plain)], check=True)
    text = plain.read_bytes()
    assert old in text
    return text.replace(old, new, 1)


def test_a_changed_number_never_verifies_whatever_the_database_says(
    exported: tuple[Path, Path],
    demo: Store,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out, key = exported
    data = out.read_bytes()
    page_no, figure = _a_printed_figure(out)
    bigger = re.sub(rb"\d", b"9", figure)  # the same length: every offset in the file holds
    forged_keys = new_signing_key("Riverside Peer Support", b"x" * 32, datetime.now(UTC))
    incremental = replace_in_page_text(data, page_no, b"(" + figure + b")", b"(" + bigger + b")")
    edits = {
        "an incremental update": incremental,
        "qpdf --qdf and a byte replaced": qdf_edit(
            data, b"(" + figure + b")", b"(" + bigger + b")", tmp_path
        ),
        "a made-up report signed with another key of the same name": sign_report(
            _unsigned_pdf(), _opened(forged_keys)
        ),
    }
    coordinator = person(demo, "coordinator", UserRole.COORDINATOR)
    with demo.session(coordinator.actor) as s:
        s.add(forged_keys)  # the forger's certificate stored too, under the organisation's name
    for how, changed in edits.items():
        bad = tmp_path / "changed.pdf"
        bad.write_bytes(changed)
        # Whatever someone with the database writes: the changed file's hash, another key.
        with demo.session(coordinator.actor) as s:
            s.execute(update(ReportExport).values(file_sha256=file_sha256(changed)))
        status, said = funder_checks(bad, key, capsys)
        assert status == 1 and said.startswith("NOT valid: changed.pdf"), how
        inside = verify_signed_in(coordinator, bad)
        assert not inside.valid and inside.sentences[0].startswith("NOT valid"), how
    assert "someone else's key" in inside.sentences[0]


def test_poppler_finds_the_signature_valid(exported: tuple[Path, Path]) -> None:
    if PDFSIG is None:
        pytest.skip("pdfsig is not installed (scripts/ensure-system-libs installs poppler-utils)")
    out, _key = exported
    shown = subprocess.run([PDFSIG, str(out)], capture_output=True, text=True, check=True).stdout
    assert "Signature is Valid." in shown and "Total document signed" in shown
    assert "Riverside Peer Support (demo)" in shown and "ETSI.CAdES.detached" in shown


def test_signed_in_verify_says_when_the_figures_changed_since(
    exported: tuple[Path, Path], demo: Store
) -> None:
    out, _key = exported
    coordinator = person(demo, "coordinator", UserRole.COORDINATOR)
    first = verify_signed_in(coordinator, out)
    assert first.valid and first.sentences[1].startswith("Its figures are still the same")
    add_starter(demo, coordinator, PERIOD.start)
    later = verify_signed_in(coordinator, out)
    assert later.valid  # the file is still what was signed...
    assert later.sentences[1].startswith("The figures have changed since it was signed")


def test_signed_in_verify_of_a_public_report_does_not_claim_its_figures_changed(
    demo: Store, tmp_path: Path
) -> None:
    # A public report's figures depend on the releases before it, so the board figures of today
    # must not be compared with them (that once said "changed" for an untouched report).
    coordinator = person(demo, "coordinator", UserRole.COORDINATOR)
    out = tmp_path / "public.pdf"
    export_governance(coordinator, Period(date(2026, 4, 1), date(2026, 6, 30)), out,
                      audience=Audience.PUBLIC)  # fmt: skip
    checked = verify_signed_in(coordinator, out)
    assert checked.valid
    assert checked.sentences[1].startswith("It is a public report")


def test_only_those_who_may_export_can_open_the_key(demo: Store, tmp_path: Path) -> None:
    volunteer = person(demo, "volunteer", UserRole.VOLUNTEER)
    supervisor = person(demo, "supervisor", UserRole.SUPERVISOR)
    for who in (volunteer, supervisor):
        with pytest.raises(PermissionDenied):
            signing_key(demo, who.actor)
    trustee = person(demo, "trustee", UserRole.TRUSTEE)
    opened = signing_key(demo, trustee.actor)
    private = opened.private_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with demo.read() as s:
        row = s.scalars(select(SigningKey)).one()
    assert private not in row.sealed_private_key and private[-32:] not in row.sealed_private_key


@pytest.mark.file_only  # re-keys the data file
def test_the_key_still_signs_after_the_data_key_changes(demo: Store, tmp_path: Path) -> None:
    coordinator = person(demo, "coordinator", UserRole.COORDINATOR)
    before = public_key(demo)
    setup.change_data_key(coordinator)
    out = tmp_path / "after-rekey.pdf"
    export_governance(coordinator, PERIOD, out)
    assert public_key(demo) == before
    assert verify_with_certificate(out, before.certificate()).valid


@pytest.mark.file_only  # the command on the data folder's file
def test_the_public_key_file_and_plain_refusals(
    demo: Store,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    person(demo, TEST_USER, UserRole.COORDINATOR)
    folder = demo.folder.root
    shown = public_key(demo).shown
    demo.close(backup=False)
    monkeypatch.setenv("PEERDESK_PASSWORD", TEST_SECRET)
    base = ["--data-dir", str(folder), "report"]
    pem = tmp_path / "org.pem"
    assert main([*base, "public-key", "--user", TEST_USER, "--out", str(pem)]) == 0
    assert shown in capsys.readouterr().out and re.fullmatch(r"([0-9A-F]{4} ){7}[0-9A-F]{4}", shown)
    assert pem.read_text().startswith("-----BEGIN CERTIFICATE-----")
    # Into the data folder, or over an existing file without --force: one sentence, no file.
    for out in (folder / "peerdesk.pem", pem):
        assert main([*base, "public-key", "--user", TEST_USER, "--out", str(out)]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err
    not_a_key, not_a_pdf = tmp_path / "k.pem", tmp_path / "r.pdf"
    not_a_key.write_text("hello")
    not_a_pdf.write_bytes(b"%PDF-1.4 nothing")
    assert main([*base, "verify", str(not_a_pdf), "--key", str(not_a_key)]) == 1
    assert "is not a public key file" in capsys.readouterr().err
    assert main([*base, "verify", str(not_a_pdf), "--key", str(pem)]) == 1
    assert capsys.readouterr().out.startswith("NOT valid: r.pdf is not")
    assert main([*base, "verify", str(tmp_path), "--key", str(pem)]) == 1
    assert "is a folder; give the PDF file to check" in capsys.readouterr().err
    assert main([*base, "verify", str(not_a_pdf), "--key", str(tmp_path)]) == 1
    assert "is a folder; give the organisation's key file" in capsys.readouterr().err


def test_a_report_from_before_signing_is_not_signed(demo: Store, tmp_path: Path) -> None:
    old = tmp_path / "old.pdf"
    old.write_bytes(_unsigned_pdf())
    result = verify_with_certificate(old, public_key(demo).certificate())
    assert not result.valid and "is not signed" in result.sentences[0]
    assert check_report(old.read_bytes(), public_key(demo).certificate()).outcome is (
        Outcome.NOT_SIGNED
    )
    with pytest.raises(PeerdeskError, match="There is no file"):
        verify_with_certificate(tmp_path / "missing.pdf", public_key(demo).certificate())


def _a_printed_figure(path: Path) -> tuple[int, bytes]:
    """The first page drawing a figure of two or more characters (not all nines), and it."""
    for page_no, page in enumerate(pypdf.PdfReader(path).pages):
        raw = page.get_contents()
        drawn = raw.get_data() if raw is not None else b""
        found = re.search(rb"\((?![9,.]+\))(\d[\d,.]+)\) Tj", drawn)
        if found is not None:
            return page_no, found.group(1)
    raise AssertionError("no figure printed")


def _opened(row: SigningKey) -> OrganisationKey:
    """The forger's own key pair (sealed under the made-up data key above)."""
    from cryptography.hazmat.primitives.asymmetric import ec

    from peerdesk.db.sealing import Keyring
    from peerdesk.db.signing_seal import open_private_key

    der = open_private_key(row, Keyring(), [b"x" * 32])
    assert der is not None
    private = serialization.load_der_private_key(der, password=None)
    assert isinstance(private, ec.EllipticCurvePrivateKey)
    return OrganisationKey(private, PublicKey(row.certificate_pem, row.fingerprint))


def _unsigned_pdf() -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(200, 200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
