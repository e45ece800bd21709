"""Partnerships (kemitraan): from a meeting, a suggestion or an offline contact to purchase orders."""
