"""Admin-editable runtime configuration stored over the environment defaults."""
