"""Server-rendered SVG pictures (no JavaScript charting library: the CSP allows none inline,
and a regulator's page must print and archive as it is)."""
