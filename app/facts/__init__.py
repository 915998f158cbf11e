"""The case's legal facts: one builder (builder.case_facts), one immutable object (model.CaseFacts)."""
