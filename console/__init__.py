"""Parloir: one conversation queue for a community team.

The package is layered (see docs/ and DESIGN.md): ``models``, ``sync`` and
``services`` never import Qt, so ``parloir sync`` and the tests run headless.
"""

__version__ = "0.1.0"
