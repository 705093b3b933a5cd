namespace SnipcartGateway.ProviderCheck;

/// <summary>The file a merchant can send to the provider's support: each check and every answer, secrets removed.</summary>
public static class ReportFile
{
    public static async Task WriteAsync(string path, string providerId, IReadOnlyList<CheckResult> results, AnswerLog log)
    {
        using var writer = new StreamWriter(path);
        await writer.WriteLineAsync($"snipcart-gateway provider-check {providerId}, {DateTime.UtcNow:u}");
        await writer.WriteLineAsync();
        foreach (var result in results)
        {
            await writer.WriteLineAsync($"[{result.Outcome}] {result.Id}: {result.Inference}");
            await writer.WriteLineAsync("    " + log.Scrub(result.Evidence));
        }
        await writer.WriteLineAsync();
        await writer.WriteLineAsync("Every call and answer (query strings, headers and secrets removed):");
        foreach (var line in log.Lines)
        {
            await writer.WriteLineAsync(line);
        }
    }
}
