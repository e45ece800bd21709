class NeedError(Exception):
    """A need action that cannot be done; the message is translated and shown to the person."""


class PartnershipError(Exception):
    """A partnership action that cannot be done; the message is translated and shown to the person."""
