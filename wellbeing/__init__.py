"""Private burnout self-check-ins; aggregated only with consent."""
