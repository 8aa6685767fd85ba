"""Notices domain: drafts, gap-free numbering, issuing (render + sign + store), the registry
that public verification asks, and the operator's view of its own issued notices."""
