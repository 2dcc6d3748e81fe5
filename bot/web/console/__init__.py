"""The operator console: server-rendered pages for hotline staff and administrators."""
