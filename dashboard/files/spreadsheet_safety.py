"""Neutralise spreadsheet formula injection in text we write to CSV or XLSX.

A text cell starting with =, +, -, @, tab or carriage return is run as a
formula by Excel and LibreOffice; prefixing an apostrophe keeps it text.
Numbers stay numbers.
"""
from __future__ import annotations

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    if isinstance(value, str) and value.startswith(_TRIGGERS):
        return "'" + value
    return value
