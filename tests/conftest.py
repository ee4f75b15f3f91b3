import os

from hypothesis import HealthCheck, settings

# The suite's property tests run a fixed, seeded set of examples, so a run of `make test` (and
# CI) is reproducible; `HYPOTHESIS_PROFILE=explore make test` searches new random examples.
settings.register_profile("dev", max_examples=20, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", max_examples=40, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("explore", max_examples=200, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))
