"""The networks Parloir knows: one line per network, each declared once
by its package's spec (console/sync/<net>/spec.py, a
:class:`~console.sync.netspec.NetworkSpec`).

Services, views and the CLI look a network up here by name and ask its
spec; nothing outside the network's package branches on its name.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from console.sync.bluesky.spec import SPEC as BLUESKY
from console.sync.email.spec import SPEC as EMAIL
from console.sync.mastodon.spec import SPEC as MASTODON
from console.sync.netspec import NetworkSpec

__all__ = [
    "BLUESKY",
    "EMAIL",
    "MASTODON",
    "NETWORKS",
    "NetworkSpec",
    "UnknownNetwork",
    "all_networks",
    "find",
    "names",
    "registered",
    "spec",
]

#: The networks, in the order lists show them: one line per network.
NETWORKS: tuple[NetworkSpec, ...] = (
    MASTODON,
    BLUESKY,
    EMAIL,
)
_extra: list[NetworkSpec] = []


class UnknownNetwork(LookupError):
    """No spec for this network name."""


def all_networks() -> tuple[NetworkSpec, ...]:
    return NETWORKS + tuple(_extra)


def names() -> tuple[str, ...]:
    return tuple(s.name for s in all_networks())


def find(name: str) -> NetworkSpec | None:
    for candidate in all_networks():
        if candidate.name == name:
            return candidate
    return None


def spec(name: str) -> NetworkSpec:
    found = find(name)
    if found is None:
        raise UnknownNetwork(f"Parloir does not know the network {name!r}.")
    return found


@contextmanager
def registered(extra: NetworkSpec) -> Iterator[NetworkSpec]:
    """Test-only: the network is known inside the ``with`` block."""
    if find(extra.name) is not None:
        raise ValueError(f"{extra.name!r} is registered already.")
    _extra.append(extra)
    try:
        yield extra
    finally:
        _extra.remove(extra)
