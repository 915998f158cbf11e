"""The creditor portal: a fordringsägare follows its own disputed cases, decides on the
jurist's proposals to go to court, and exports reports. Every query is scoped to the
logged-in user's creditor (app.core.access.visible_cases)."""
