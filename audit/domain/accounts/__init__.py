"""Users, roles, sessions, personal API tokens and the guards that enforce roles."""
