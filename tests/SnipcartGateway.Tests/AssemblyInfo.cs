// WebApplicationFactory finds a minimal-API app's host through a process-wide DiagnosticListener: two
// factories building at once can each capture the other's host (seen here as "Addresses cannot be modified
// after the server has started" and disposed service providers). Test classes therefore run one at a time;
// tests inside a class still run their own concurrent requests.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
