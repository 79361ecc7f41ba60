"""What the Team page shows (Qt-free); the protocol itself is counsel.teams."""
