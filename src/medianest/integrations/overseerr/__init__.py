"""Overseerr's API v1: search, title details, requests and their approval."""
