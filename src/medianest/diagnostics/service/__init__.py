"""The diagnostics domain's services, one per concern: error reports, performance figures and
their recommendations, and the test harness's reset."""
