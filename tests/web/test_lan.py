"""``--lan``: the self-signed certificate formcoach makes and keeps, the pairing token, the QR code."""

from __future__ import annotations

import stat
from pathlib import Path

from cryptography import x509

from formcoach.web.lan import certificate, lan_address, pairing_token, qr_svg, qr_text


def test_the_certificate_names_the_address_and_is_kept(tmp_path: Path) -> None:
    cert_file, key_file = certificate(tmp_path, "192.168.1.23")
    cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "192.168.1.23" in {str(ip) for ip in names.get_values_for_type(x509.IPAddress)}
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    first = cert_file.read_bytes()
    certificate(tmp_path, "192.168.1.23")
    assert cert_file.read_bytes() == first  # kept, not remade
    certificate(tmp_path, "10.0.0.7")
    assert cert_file.read_bytes() != first  # a new address needs a new certificate


def test_the_pairing_token_is_random_long_and_kept(tmp_path: Path) -> None:
    token = pairing_token(tmp_path)
    assert len(token) >= 32 and pairing_token(tmp_path) == token
    assert pairing_token(tmp_path / "other") != token
    assert stat.S_IMODE((tmp_path / "pairing-token").stat().st_mode) == 0o600


def test_the_link_becomes_a_qr_code_for_page_and_terminal() -> None:
    svg = qr_svg("https://192.168.1.23:8765/?token=abc")
    assert svg.startswith("<svg") and "<path" in svg and "style=" not in svg and "<script" not in svg
    text = qr_text("https://192.168.1.23:8765/?token=abc")
    assert len(text.splitlines()) > 10 and "█" in text


def test_the_lan_address_is_an_ipv4_address() -> None:
    parts = lan_address().split(".")
    assert len(parts) == 4 and all(0 <= int(p) <= 255 for p in parts)
