"""What a signed-in user sees first, and the admin's statistics."""
