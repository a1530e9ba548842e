"""Mail bodies: templates/emails/<template>.txt and .html, rendered in the reader's language.

Most mails are rendered when they are queued. A mail that a busy request queues (the paid
order's mails, queued by the payment webhook) can instead be queued with the ids of what it
shows: its bodies are rendered when the mail is first read (sent by `flask mail send`, shown
in /dev/outbox), by the template's registered context builder, which loads those objects
again. What such a mail shows does not change after it is queued (an order's lines, totals
and parcels are fixed at the sale), so the mail reads the same either way; the request that
queues it no longer pays for two templates per reader.
"""

from collections.abc import Callable
from contextlib import ExitStack, contextmanager

from flask import current_app, has_request_context, render_template
from flask_babel import force_locale

_builders: dict[str, Callable[..., dict]] = {}


class MailSubjectGone(LookupError):
    """What a mail queued for later rendering shows is no longer there (it is not sent)."""


def context_builder(template: str):
    """Register `build(**refs) -> context` for mails of `template` queued with
    `shop.mail.services.queue_email_later` (decorator)."""

    def register(build: Callable[..., dict]) -> Callable[..., dict]:
        _builders[template] = build
        return build

    return register


def known_locale(locale: str | None) -> str | None:
    return locale if locale in current_app.config["LANGUAGES"] else None


@contextmanager
def reader_language(locale: str | None):
    """Translate into `locale` (else the current language) inside the block. Outside a request
    (CLI, jobs) a request on the configured base URL is pushed, so links use it."""
    with ExitStack() as stack:
        if not has_request_context():
            stack.enter_context(current_app.test_request_context(
                base_url=current_app.config["SHOP_BASE_URL"]))
        if locale:
            stack.enter_context(force_locale(locale))
        yield


def render(template: str, locale: str | None, context: dict) -> tuple[str, str]:
    """(text, html) of templates/emails/<template>, in `locale` (else the current language)."""
    with reader_language(locale):
        return (render_template(f"emails/{template}.txt", **context),
                render_template(f"emails/{template}.html", **context))


def render_later(template: str, locale: str | None, refs: dict) -> tuple[str, str]:
    """The bodies of a mail queued with ids: its builder loads what it shows, then render."""
    try:
        build = _builders[template]
    except KeyError:
        raise LookupError(f"no context builder for mail template {template!r}") from None
    return render(template, known_locale(locale), build(**refs))
