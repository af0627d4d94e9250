"""Rasa input channels of the assistant that Rasa does not ship (credentials.yml names them by module path)
."""
