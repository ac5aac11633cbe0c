"""Realtime: socket.io on the app (namespaces, rooms, connection checks), the base of the
events the domains declare, and emitters that reach clients from any process."""
