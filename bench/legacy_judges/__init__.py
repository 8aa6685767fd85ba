"""Frozen pre-issue-18 judges: the reference of bench/judging_accuracy.py."""
