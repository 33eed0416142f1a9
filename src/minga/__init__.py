"""Minga: the platform of a federation of communes, social movements and organizations.

Dependency direction, one way only: ``core`` <- ``common`` <- domain apps <- views/api/cli.
"""
