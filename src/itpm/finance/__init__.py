"""Money: cost rates, fixed costs, purchases, budget lines, exchange rates, and earned value."""
