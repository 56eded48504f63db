"""Accedi: the login page (local accounts, or the platform's single sign-on where configured)."""
from dashboard.web import session

session.login_form()
