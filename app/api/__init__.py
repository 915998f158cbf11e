"""The JSON API for creditors' systems: token-authenticated, scoped to the token's creditor."""
