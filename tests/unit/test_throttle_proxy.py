"""The sign-in throttle behind a reverse proxy: X-Forwarded-For is believed only from a trusted proxy."""
from __future__ import annotations

import pytest

from core import config
from ui.throttle import PER_CLIENT, SignInThrottle, client_address

PROXY = "10.0.0.5"


@pytest.mark.parametrize("peer, forwarded, trusted, expected", [
    ("203.0.113.9", "198.51.100.1", (), "203.0.113.9"),                          # no proxy trusted: the peer
    ("203.0.113.9", "198.51.100.1", (PROXY,), "203.0.113.9"),                    # a stranger's header is ignored
    (PROXY, "198.51.100.1", (PROXY,), "198.51.100.1"),                            # the proxy says who it serves
    (PROXY, "6.6.6.6, 198.51.100.1", (PROXY,), "198.51.100.1"),                  # what the client wrote is skipped
    (PROXY, "198.51.100.1, 10.1.2.3", ("10.0.0.0/8",), "198.51.100.1"),          # a chain of trusted proxies
    (PROXY, "", (PROXY,), PROXY),                                                # no header: the proxy itself
    (PROXY, "10.0.0.7", ("10.0.0.0/8",), PROXY),                                 # only proxies: the peer
    (PROXY, "not-an-address", (PROXY,), None),                                   # garbage: counted as unknown
    (None, "198.51.100.1", ("127.0.0.1",), "198.51.100.1"),                      # a proxy on this machine
    (None, "198.51.100.1", (), None),                                            # this machine, nothing trusted
    (PROXY, "2001:db8::7", (PROXY, "bogus"), "2001:db8::7"),                     # IPv6; a bad entry trusts nothing
])
def test_the_client_is_the_first_untrusted_address_and_only_behind_a_trusted_proxy(peer, forwarded, trusted,
                                                                                   expected):
    assert client_address(peer, forwarded, trusted) == expected


def test_two_browsers_behind_one_trusted_proxy_are_held_back_apart(monkeypatch):
    monkeypatch.setenv(config.TRUSTED_PROXIES_ENV, f" {PROXY} , 192.168.0.0/16")
    trusted = config.trusted_proxies()
    assert trusted == (PROXY, "192.168.0.0/16")
    throttle = SignInThrottle(clock=lambda: 1000.0)
    guesser = client_address(PROXY, "203.0.113.9", trusted)
    colleague = client_address(PROXY, "198.51.100.4", trusted)
    for i in range(PER_CLIENT):
        throttle.failed(guesser, f"user{i}")
    assert throttle.wait_seconds(guesser, "someone") > 0
    assert throttle.wait_seconds(colleague, "someone") == 0
    # Without the setting, both are the proxy: one guesser holds back everyone behind it.
    monkeypatch.delenv(config.TRUSTED_PROXIES_ENV)
    assert client_address(PROXY, "198.51.100.4", config.trusted_proxies()) == PROXY
