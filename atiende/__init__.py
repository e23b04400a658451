"""Atiende: a help desk for IT service providers that support many client companies."""
