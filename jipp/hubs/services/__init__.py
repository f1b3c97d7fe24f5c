"""Writes for the hubs app, one module per stage: hubs (designation, spokes), selection, work, maturity."""
