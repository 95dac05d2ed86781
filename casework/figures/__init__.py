"""Official figures: indicators as data, targets and population, achievement reports."""
