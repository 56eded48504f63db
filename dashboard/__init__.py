"""Cruscotto Performance: KPI monitoring for the performance cycle of an Italian public body."""
