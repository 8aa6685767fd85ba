"""Server-rendered pages (Jinja2): login and the dashboard. The JSON API is the full interface."""
