"""What the layers of one request tell each other through the ASGI scope."""

ROUTE_NAME = "medianest.route_name"
"""The name figures and logs give a request no route template names (the web app's pages)."""
