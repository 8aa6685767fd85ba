"""Append-only audit log: who did what to which entity, when, in which request."""
