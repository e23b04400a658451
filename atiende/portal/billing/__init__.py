"""*Mis servicios*: the portal's billing pages."""
