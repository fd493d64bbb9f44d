"""What ``--lan`` needs so a phone on the home network can use the app safely: the computer's
address on that network, a self-signed HTTPS certificate (a phone's camera needs a secure page)
and a pairing token, both kept in the data folder, and the link as a QR code.

Finding the address sends no packet: a UDP socket is only "connected" to pick the route.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import secrets
import socket
from dataclasses import dataclass
from pathlib import Path

#: How long a new certificate is valid, in days (phones refuse longer than about 825).
CERT_DAYS = 800
#: A certificate this close to its end, in days, is replaced.
RENEW_DAYS = 30


@dataclass(frozen=True)
class LanIdentity:
    """The address, certificate files and pairing token of ``--lan`` mode."""

    address: str
    cert_file: Path
    key_file: Path
    token: str

    def link(self, port: int) -> str:
        """The pairing link a phone opens (also shown as a QR code)."""
        return f"https://{self.address}:{port}/?token={self.token}"


def lan_address() -> str:
    """This computer's IPv4 address on the home network (127.0.0.1 when it has none)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            return str(probe.getsockname()[0])
        except OSError:
            return "127.0.0.1"


def _private_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)


def pairing_token(folder: Path) -> str:
    """The pairing token kept in ``folder`` (made on first use): paired phones stay paired."""
    path = folder / "pairing-token"
    if path.is_file():
        token = path.read_text().strip()
        if len(token) >= 32:
            return token
    token = secrets.token_urlsafe(24)
    _private_write(path, token.encode())
    return token


def _usable(cert_file: Path, address: str) -> bool:
    from cryptography import x509

    if not cert_file.is_file():
        return False
    cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    ips = {str(ip) for ip in names.get_values_for_type(x509.IPAddress)}
    left = cert.not_valid_after_utc - dt.datetime.now(dt.UTC)
    return address in ips and left > dt.timedelta(days=RENEW_DAYS)


def certificate(folder: Path, address: str) -> tuple[Path, Path]:
    """The self-signed certificate and key for ``address`` in ``folder`` (made or renewed as needed)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    cert_file, key_file = folder / "lan-cert.pem", folder / "lan-key.pem"
    if _usable(cert_file, address) and key_file.is_file():
        return cert_file, key_file
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"formcoach on {address}")])
    now = dt.datetime.now(dt.UTC)
    ips = {ipaddress.ip_address(address), ipaddress.ip_address("127.0.0.1")}
    alt = x509.SubjectAlternativeName([x509.DNSName("localhost"), *(x509.IPAddress(ip) for ip in ips)])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=CERT_DAYS)).add_extension(alt, critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    _private_write(key_file, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
    _private_write(cert_file, cert.public_bytes(serialization.Encoding.PEM))
    return cert_file, key_file


def lan_identity(data_dir: Path) -> LanIdentity:
    """Address, certificate and token for ``--lan``, kept in ``data_dir/web``."""
    folder = data_dir / "web"
    address = lan_address()
    cert_file, key_file = certificate(folder, address)
    return LanIdentity(address, cert_file, key_file, pairing_token(folder))


def qr_svg(text: str) -> str:
    """``text`` as a QR code, an SVG document (str) to put in a page."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    return str(image.to_string(encoding="unicode"))


def qr_text(text: str) -> str:
    """``text`` as a QR code drawn with block characters, for the terminal."""
    import io

    import qrcode

    code = qrcode.QRCode(border=2)
    code.add_data(text)
    out = io.StringIO()
    code.print_ascii(out=out, invert=True)
    return out.getvalue()
