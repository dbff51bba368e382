"""Operations: health, Prometheus metrics, FAQ matching, privacy intercepts, housekeeping."""
