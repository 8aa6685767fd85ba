"""Notices: PDF rendering (reportlab), signing (pyHanko PAdES) and verification.

Pure code: no database. The lifecycle (drafts, numbering, issuing) lives in
``audit.domain.notices`` and calls into this package.
"""
