"""The auth domain's services, one per concern: accounts, sessions (sign-in and tokens), API
keys and password resets, with what they share (the caller, the configuration)."""
