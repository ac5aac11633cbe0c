"""Realtime: socket.io on the app (namespaces, rooms, connection checks), the catalogue of
events with their payloads, and emitters that reach clients from any process."""
