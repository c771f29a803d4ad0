"""End-to-end tests: a real gunicorn server, real HTTP, Debian's Chromium."""
