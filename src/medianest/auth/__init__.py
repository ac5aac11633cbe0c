"""Identity and access: users, roles, sessions and sign-in."""
