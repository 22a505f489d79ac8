"""Users, teams, roles and invitations."""
