"""The load test of ``make loadtest`` (see ``bench.loadtest.run``)."""
