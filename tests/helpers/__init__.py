"""Helpers shared by the test modules (builders, fakes, CLI and window set-ups)."""
