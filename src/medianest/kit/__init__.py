"""Domain-free building blocks: errors, wire models, pagination, clock, logging."""
