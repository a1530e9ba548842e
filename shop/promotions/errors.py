"""Refusals of the promotion verbs; the views translate them to HTTP (`status`)."""


class PromotionError(ValueError):
    """A promotion change refused; `message` is Indonesian, `field` names the input."""

    status = 422

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class PromotionLocked(PromotionError):
    status = 409


class NotAllowed(PromotionError):
    status = 403
