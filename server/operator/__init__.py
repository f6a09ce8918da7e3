"""The operator's side of the Berichtenbox (issue 17, docs/operator.md).

What an operator does that no app on a desk can: watch for post nobody reads
(:mod:`.rules`, pure functions of the facts and today), restore contact on
paper (:mod:`.paper`, one PDF batch a day), tell the sending organisation
(:mod:`.events`, signed CloudEvents from an outbox) and show the figures
(:mod:`.report`). :mod:`.watch` runs one round of it all.
"""
