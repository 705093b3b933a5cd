using System.Text.Json.Nodes;
using Microsoft.Azure.Functions.Worker.Core.FunctionMetadata;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SnipcartGateway.Configuration;

namespace SnipcartGateway.Hosting;

/// <summary>
/// The reconciliation timer's schedule is the optional setting <c>Reconcile__Schedule</c> (an NCRONTAB expression
/// with seconds, e.g. <c>0 */5 * * * *</c>). A <c>%Setting%</c> in the trigger attribute would make the setting
/// required (the host leaves the function in error when it does not resolve), so the attribute carries the default
/// and this transformer rewrites the schedule in the metadata the worker hands the host at start-up.
/// </summary>
public sealed class ReconcileSchedule(string schedule) : IFunctionMetadataTransformer
{
    public const string Default = "0 * * * * *";
    public const string SettingName = "Reconcile:Schedule";

    public string Schedule { get; } = schedule;

    public string Name => nameof(ReconcileSchedule);

    /// <summary>The schedule from settings, or the default. Throws, naming the setting, when it is malformed.</summary>
    public static ReconcileSchedule From(IConfiguration configuration)
    {
        var value = configuration[SettingName];
        if (string.IsNullOrWhiteSpace(value))
        {
            return new ReconcileSchedule(Default);
        }
        value = value.Trim();
        // Six NCRONTAB fields (seconds first), or a constant interval such as 00:05:00.
        var fields = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 6 && !(TimeSpan.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var interval) && interval > TimeSpan.Zero))
        {
            throw new InvalidOperationException($"{SettingNames.ToEnvironmentVariable(SettingName)} must be an NCRONTAB expression with six fields (e.g. '0 */5 * * * *') or an interval (e.g. '00:05:00'), not '{value}'.");
        }
        return new ReconcileSchedule(value);
    }

    public void Transform(IList<IFunctionMetadata> original)
    {
        foreach (var function in original)
        {
            if (function.Name != Api.ReconciliationFunction.Name || function.RawBindings is not { } bindings)
            {
                continue;
            }
            for (var i = 0; i < bindings.Count; i++)
            {
                if (JsonNode.Parse(bindings[i]) is JsonObject binding
                    && string.Equals((string?)binding["type"], "timerTrigger", StringComparison.OrdinalIgnoreCase))
                {
                    binding["schedule"] = Schedule;
                    bindings[i] = binding.ToJsonString();
                }
            }
        }
    }
}

public static class ReconcileScheduleServiceCollectionExtensions
{
    public static IServiceCollection AddReconcileSchedule(this IServiceCollection services, IConfiguration configuration)
    {
        var schedule = ReconcileSchedule.From(configuration);
        services.TryAddSingleton(schedule);
        services.AddSingleton<IFunctionMetadataTransformer>(schedule);
        return services;
    }
}
