"""symjac's benchmarks: each area compares symjac with what a user would do instead."""
