"""Cases: intake, assessment, intervention plan, services, settings and stays, termination, the timeline."""
