"""quietdesk: a public library's patron-confidentiality system."""

__version__ = "0.1.0"
