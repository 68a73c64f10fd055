"""Screenshot helper for UI tests; saves to a local file when asked."""
__all__ = ["capture"]
