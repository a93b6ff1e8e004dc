"""Sign-in throttling per client (browser address), beside the per-account lock kept in system.duckdb.

The account lock stops guessing one password from many places, but anyone who knows a username could
trigger it again and again. So failed sign-ins are also counted per client, in this server process:
a client is held back after fewer failures on one account than lock it (`PER_ACCOUNT`), and after
`PER_CLIENT` failures on any accounts, each time for `HOLD`. A client whose address is unknown shares
one count with every other such client, and when the table of clients is full the newcomer is held
back too: the throttle fails closed, never open.

Behind a reverse proxy every browser reaches the app from the proxy's address. `client_address` then
takes the client from ``X-Forwarded-For``, but only when the direct peer is a proxy named in
``ANYML_TRUSTED_PROXIES`` (anyone else could write that header), and only the first address from the
right that is not a trusted proxy (the ones to its left were written by the client itself).
"""
from __future__ import annotations

import ipaddress
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import streamlit as st

from core import config
from storage.users import LOCKOUT, MAX_FAILED_LOGINS

#: Failed sign-ins of one client on one account before it is held back: one fewer than lock the account.
PER_ACCOUNT = MAX_FAILED_LOGINS - 1
#: Failed sign-ins of one client on any accounts before it is held back.
PER_CLIENT = 20
#: How long a client is held back, in seconds; as long as the account lock, so that by the time a client
#: may try again, the account has forgotten its failures.
HOLD = LOCKOUT.total_seconds()
#: Clients remembered at once; past this, new clients are held back until old entries expire.
MAX_CLIENTS = 10_000
UNKNOWN_CLIENT = "unknown address"


@dataclass
class _Count:
    failures: int = 0
    last: float = 0.0
    held_until: float = 0.0


@dataclass
class SignInThrottle:
    """Counts failed sign-ins per client and per (client, account); thread-safe (one per server)."""

    clock: Callable[[], float] = time.monotonic
    _counts: dict[tuple[str, str], _Count] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_seconds(self, client: str | None, username: str) -> float:
        """How long ``client`` must wait before it may try ``username`` again; 0 when it may now."""
        now = self.clock()
        keys = _keys(client, username)
        with self._lock:
            self._forget_old(now)
            if not all(key in self._counts for key in keys) and len(self._counts) + len(keys) > MAX_CLIENTS:
                return HOLD  # too many clients to remember: hold back rather than forget
            return max([self._counts[k].held_until - now for k in keys if k in self._counts] + [0.0])

    def failed(self, client: str | None, username: str) -> None:
        """Count one failed sign-in of ``client`` on ``username``."""
        now = self.clock()
        with self._lock:
            for key, limit in zip(_keys(client, username), (PER_CLIENT, PER_ACCOUNT)):
                count = self._counts.setdefault(key, _Count())
                if now - count.last >= HOLD:
                    count.failures = 0  # the last failure is long past: count afresh
                count.failures += 1
                count.last = now
                if count.failures >= limit:
                    count.held_until, count.failures = now + HOLD, 0

    def succeeded(self, client: str | None, username: str) -> None:
        """A right password: the client's count on that account starts again."""
        with self._lock:
            self._counts.pop(_keys(client, username)[1], None)

    def clear(self) -> None:
        """Forget every count (for tests, and an administrator's restart)."""
        with self._lock:
            self._counts.clear()

    def _forget_old(self, now: float) -> None:
        if len(self._counts) < MAX_CLIENTS:
            return
        for key in [k for k, c in self._counts.items() if now - c.last >= HOLD and now >= c.held_until]:
            del self._counts[key]


def _keys(client: object, username: str) -> tuple[tuple[str, str], tuple[str, str]]:
    client = client if isinstance(client, str) and client else UNKNOWN_CLIENT  # anything else: unknown
    return (client, ""), (client, str(username or "").strip().lower())


def wait_minutes(seconds: float) -> int:
    """A wait in whole minutes, rounded up (at least 1), for the message."""
    return max(1, math.ceil(seconds / 60))


def _networks(trusted: tuple[str, ...] | list[str]) -> list:
    networks = []
    for entry in trusted:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            continue  # not an address or network: trusts nothing
    return networks


def _address(text: str | None):
    try:
        return ipaddress.ip_address(str(text).strip().strip("[]"))
    except ValueError:
        return None


def client_address(peer: str | None, forwarded_for: str | None, trusted: tuple[str, ...] | list[str]) -> str | None:
    """The address the throttle counts a client by.

    ``peer`` is the connection's own address (Streamlit gives ``None`` for one from this machine, which
    counts as 127.0.0.1 here), ``forwarded_for`` the ``X-Forwarded-For`` header, ``trusted`` the proxies'
    addresses or networks. Unless the peer is trusted, it is the peer. Otherwise the header is read from
    the right, skipping trusted proxies; the first other address is the client. A header with no such
    address gives the peer; a value that is not an address gives ``None`` (counted as unknown).
    """
    networks = _networks(trusted)

    def is_trusted(address) -> bool:
        return address is not None and any(address in network for network in networks)

    peer_address = _address(peer if peer is not None else "127.0.0.1")
    if not networks or not is_trusted(peer_address):
        return peer
    for hop in reversed([h for h in (forwarded_for or "").split(",") if h.strip()]):
        address = _address(hop)
        if address is None:
            return None
        if not is_trusted(address):
            return str(address)
    return peer


def current_client() -> str | None:
    """The address of the browser making this request (see `client_address`), from Streamlit's context."""
    return client_address(st.context.ip_address, st.context.headers.get("X-Forwarded-For"),
                          config.trusted_proxies())


_THROTTLE = SignInThrottle()


def sign_in_throttle() -> SignInThrottle:
    """The one throttle of this server process."""
    return _THROTTLE
