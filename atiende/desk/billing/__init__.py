"""Billing pages of the desk."""
