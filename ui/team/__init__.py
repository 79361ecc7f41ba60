"""The Team page: teams, members, verification, invitations, devices."""
