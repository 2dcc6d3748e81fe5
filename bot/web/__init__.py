"""The web service: the FastAPI app, its routes, the operator's console and admin pages."""
