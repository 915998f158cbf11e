"""Legal values maintained in the app: proposals for the law tables' series, four-eyes approval,
and the approved values installed into app.law's tables as an overlay (see services)."""
