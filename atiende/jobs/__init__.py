"""Background jobs: the periodic schedule, the guard that keeps a periodic job from running
twice at once, the in-process runner used without a broker, and dispatching tasks."""
