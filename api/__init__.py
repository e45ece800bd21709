"""The REST API (v1) for other systems: buyers' ERP and e-procurement, SIINas, PaDi UMKM.

Thin edges over the apps' selectors, services and `rules` permissions; nothing here decides who may do what.
"""
