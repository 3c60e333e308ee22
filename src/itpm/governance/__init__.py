"""Quantified risks, three-point estimates, Monte Carlo runs and the history of closed projects."""
