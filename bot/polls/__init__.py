"""Polls: option parsing and Discord's limits, weekly schedules, charts and CSV export (no Discord calls)."""
