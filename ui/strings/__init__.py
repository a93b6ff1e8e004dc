"""The string catalogue, one module per area of the app; each defines STRINGS = {key: {"en": ..., "ko": ...}}."""
