"""Lets the enrich tests import their data module (the suite runs in importlib mode)."""

from __future__ import annotations


