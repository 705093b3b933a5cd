using Microsoft.Azure.Functions.Worker.Core.FunctionMetadata;
using Microsoft.Extensions.Configuration;
using SnipcartGateway.Hosting;

namespace SnipcartGateway.Tests.Hosting;

public sealed class ReconcileScheduleTests
{
    private static IConfiguration Settings(string? schedule) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Reconcile:Schedule"] = schedule }).Build();

    [Fact]
    public void Without_the_setting_the_schedule_is_every_five_minutes() =>
        Assert.Equal("0 * * * * *", ReconcileSchedule.From(Settings(null)).Schedule);

    [Theory]
    [InlineData("0 */1 * * * *")]
    [InlineData("00:00:30")]
    public void The_setting_sets_the_schedule(string schedule) =>
        Assert.Equal(schedule, ReconcileSchedule.From(Settings(schedule)).Schedule);

    [Theory]
    [InlineData("every five minutes")]
    [InlineData("*/5 * * * *")]
    [InlineData("-00:05:00")]
    public void A_malformed_schedule_stops_start_up_naming_the_setting(string schedule)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ReconcileSchedule.From(Settings(schedule)));
        Assert.Contains("Reconcile__Schedule", error.Message);
    }

    [Fact]
    public void The_transformer_rewrites_only_the_reconcile_timer_binding()
    {
        var reconcile = new DefaultFunctionMetadata
        {
            Name = "Reconcile",
            RawBindings = ["""{"name":"timer","type":"timerTrigger","direction":"In","schedule":"0 */5 * * * *"}"""],
        };
        var other = new DefaultFunctionMetadata
        {
            Name = "Health",
            RawBindings = ["""{"name":"request","type":"httpTrigger","direction":"In","route":"api/health"}"""],
        };
        IList<IFunctionMetadata> all = [reconcile, other];

        new ReconcileSchedule("*/7 * * * * *").Transform(all);

        Assert.Contains("\"schedule\":\"*/7 * * * * *\"", reconcile.RawBindings[0]);
        Assert.Equal("""{"name":"request","type":"httpTrigger","direction":"In","route":"api/health"}""", other.RawBindings[0]);
    }
}
