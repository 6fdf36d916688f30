"""Peer review between the organisations of a ronde ("leren van elkaar")."""
