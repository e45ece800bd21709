class ProfileError(Exception):
    """A profile action that cannot be done; the message is translated and shown to the person."""
