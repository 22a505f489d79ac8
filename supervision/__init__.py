"""Supervision groups, availability, bookings and attendance."""
