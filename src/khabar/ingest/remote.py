"""Fetching over HTTP(S), safely: timeouts, a size cap, few redirects, and no requests to
loopback, private, link-local or otherwise internal addresses unless the user allows them.

A URL handed to khabar is untrusted (it may come from a feed or a web form), so every hop of a
redirect chain is checked, not only the first.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from khabar import __version__
from khabar.errors import FetchError

TIMEOUT_SECONDS = 20.0
MAX_BYTES = 20 * 1024 * 1024
MAX_REDIRECTS = 5
USER_AGENT = f"khabar/{__version__} (+https://github.com/khabar-project/khabar)"


@dataclass(frozen=True)
class Fetched:
    """A fetched body and what the server said it is."""

    url: str
    content: bytes
    content_type: str


def fetch(
    url: str,
    *,
    allow_private: bool = False,
    timeout: float = TIMEOUT_SECONDS,
    max_bytes: int = MAX_BYTES,
    max_redirects: int = MAX_REDIRECTS,
    client: httpx.Client | None = None,
) -> Fetched:
    """GET a URL, following at most `max_redirects` redirects, each checked before it is requested.

    RAISES (FetchError): refused address, bad scheme, timeout, error status, body over `max_bytes`.
    """
    own_client = client is None
    client = client or httpx.Client(
        timeout=timeout, follow_redirects=False, headers={"User-Agent": USER_AGENT}
    )
    try:
        current = url
        for _ in range(max_redirects + 1):
            check_url(current, allow_private=allow_private)
            fetched, location = _get(client, current, max_bytes=max_bytes, source=url)
            if location is None:
                return fetched
            current = urljoin(current, location)
        raise FetchError(f"more than {max_redirects} redirects", source=url)
    finally:
        if own_client:
            client.close()


def _get(client: httpx.Client, url: str, *, max_bytes: int, source: str) -> tuple[Fetched, str | None]:
    try:
        with client.stream("GET", url) as response:
            if response.is_redirect:
                return Fetched(url, b"", ""), response.headers.get("location", "")
            if response.status_code >= 400:
                raise FetchError(
                    f"server answered {response.status_code} {response.reason_phrase}", source=source
                )
            declared = int(response.headers.get("content-length") or 0)
            if declared > max_bytes:
                raise FetchError(_too_large(declared, max_bytes), source=source)
            body = bytearray()
            for chunk in response.iter_bytes():
                body.extend(chunk)
                if len(body) > max_bytes:
                    raise FetchError(_too_large(len(body), max_bytes), source=source)
            return Fetched(str(response.url), bytes(body), response.headers.get("content-type", "")), None
    except httpx.TimeoutException as exc:
        raise FetchError(f"timed out ({exc.__class__.__name__})", source=source) from exc
    except httpx.HTTPError as exc:
        raise FetchError(f"could not fetch: {exc}", source=source) from exc


def _too_large(size: int, limit: int) -> str:
    return f"response too large ({size / 1e6:.1f} MB; the limit is {limit / 1e6:.1f} MB)"


def check_url(url: str, *, allow_private: bool = False) -> None:
    """Refuse non-HTTP schemes, and hosts that resolve to an internal address (unless allowed)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(
            f"only http and https URLs can be fetched, not {parts.scheme or 'a bare path'!r}", source=url
        )
    if not parts.hostname:
        raise FetchError("URL has no host", source=url)
    if allow_private:
        return
    for address in resolve(parts.hostname):
        if is_internal(address):
            raise FetchError(
                f"refused: {parts.hostname} is a private, loopback or link-local address ({address});"
                " pass --allow-private to fetch it",
                source=url,
            )


def resolve(host: str) -> list[str]:
    """Every address a host name resolves to (an address literal resolves to itself)."""
    try:
        return [str(ipaddress.ip_address(host.strip("[]")))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve host {host!r}: {exc.strerror}", source=host) from exc
    return sorted({str(info[4][0]) for info in infos})


def is_internal(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast
