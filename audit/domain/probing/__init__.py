"""Probing: probe runs (one automated call or chat), Twilio webhooks, analysis hand-off."""
