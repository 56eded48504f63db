"""Sending e-mail over SMTP (smtplib): one connection for a batch, STARTTLS or implicit TLS with the system's
certificate checks, login when credentials are configured (config.smtp_settings)."""
from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from dashboard.core.errors import Refused


class MailUnavailable(Exception):
    """The SMTP server cannot be reached or refuses us: try again later (CLI exit 3)."""


def connect(settings: dict) -> smtplib.SMTP:
    if not settings.get("host"):
        raise Refused("Server SMTP non configurato: impostare KPI_SMTP_HOST (e KPI_SMTP_PORT, KPI_SMTP_SECURITY, "
                      "KPI_SMTP_USER, KPI_SMTP_PASSWORD, KPI_SMTP_FROM).")
    security = settings.get("security", "starttls")
    if security not in ("starttls", "tls", "none"):
        raise Refused(f"KPI_SMTP_SECURITY «{security}» non valido: starttls, tls o none.")
    try:
        if security == "tls":
            smtp = smtplib.SMTP_SSL(settings["host"], settings["port"], timeout=30,
                                    context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(settings["host"], settings["port"], timeout=30)
            if security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
        if settings.get("user"):
            smtp.login(settings["user"], settings.get("password", ""))
        return smtp
    except (OSError, smtplib.SMTPException) as exc:
        raise MailUnavailable(f"Server SMTP {settings['host']}:{settings['port']} non raggiungibile: {exc}") from exc


def message(sender: str, to: str, subject: str, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, to, subject
    msg.set_content(body)
    return msg
