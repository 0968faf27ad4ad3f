"""Hypothesis without wall-clock limits: `make test` must pass on a loaded 2-core machine."""

from hypothesis import HealthCheck, settings

settings.register_profile("effective-wsl", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("effective-wsl")
