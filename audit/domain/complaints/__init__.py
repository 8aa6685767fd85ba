"""Complaints and the complaint-threshold trigger (issue 7; seed 004 Art. 10)."""
