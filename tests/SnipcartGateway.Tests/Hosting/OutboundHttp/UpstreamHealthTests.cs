using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Polly.CircuitBreaker;
using SnipcartGateway.Hosting.OutboundHttp;
using SnipcartGateway.Tests.Payments;

namespace SnipcartGateway.Tests.Hosting.OutboundHttp;

/// <summary>How an outbound call's ending is classified, and when an upstream counts as failing.</summary>
public sealed class UpstreamHealthTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(200, false, UpstreamOutcomeKind.Answered)]
    [InlineData(404, false, UpstreamOutcomeKind.Answered)]
    [InlineData(422, false, UpstreamOutcomeKind.Answered)]
    [InlineData(408, false, UpstreamOutcomeKind.ServerError)]
    [InlineData(429, false, UpstreamOutcomeKind.ServerError)]
    [InlineData(500, false, UpstreamOutcomeKind.ServerError)]
    [InlineData(503, false, UpstreamOutcomeKind.ServerError)]
    public void An_answer_is_a_verdict_unless_it_is_a_5xx_408_or_429(int status, bool cancelled, UpstreamOutcomeKind expected)
    {
        Assert.Equal(expected, UpstreamOutcome.Classify((HttpStatusCode)status, null, cancelled));
    }

    [Fact]
    public void Exceptions_are_classified_by_what_the_pipeline_threw()
    {
        Assert.Equal(UpstreamOutcomeKind.CircuitOpen, UpstreamOutcome.Classify(null, new HttpRequestException("not sent", new BrokenCircuitException()), false));
        Assert.Equal(UpstreamOutcomeKind.Timeout, UpstreamOutcome.Classify(null, new TaskCanceledException("late", new TimeoutException()), false));
        Assert.Equal(UpstreamOutcomeKind.NetworkError, UpstreamOutcome.Classify(null, new HttpRequestException("reset"), false));
        Assert.Equal(UpstreamOutcomeKind.Cancelled, UpstreamOutcome.Classify(null, new TaskCanceledException(), true));
    }

    [Theory]
    [InlineData("ISnipcartClient", "snipcart")]
    [InlineData("sandboxpay", "sandboxpay")]
    [InlineData("jpmsmartpay-oauth", "jpmsmartpay")]
    [InlineData("jpmsmartpay", "jpmsmartpay")]
    [InlineData("smartpay", "smartpay")]
    public void Clients_are_named_after_their_upstream(string client, string upstream)
    {
        Assert.Equal(upstream, UpstreamNames.FromClientName(client));
    }

    [Theory]
    [InlineData(0, null, 0, false)]
    [InlineData(4, 0, 0, false)] // four failures in a row: not yet
    [InlineData(5, 0, 0, true)] // five: left out
    [InlineData(5, 0, 29, true)] // still within the cooldown
    [InlineData(5, 0, 30, false)] // cooldown over: offered again, the next call decides
    [InlineData(12, 10, 20, true)]
    public void A_provider_is_left_out_after_five_failures_in_a_row_for_thirty_seconds(int failures, int? lastFailureSecond, int nowSecond, bool leftOut)
    {
        DateTimeOffset? last = lastFailureSecond is { } s ? Now.AddSeconds(s) : null;

        Assert.Equal(leftOut, UpstreamHealthRule.IsLeftOut(failures, last, Now.AddSeconds(nowSecond)));
    }

    [Fact]
    public void A_failing_provider_is_left_out_then_offered_again_once_it_answers()
    {
        var clock = new MutableTimeProvider();
        var health = new UpstreamHealth(clock, NullLogger<UpstreamHealth>.Instance);

        for (var i = 0; i < UpstreamHealthRule.FailuresToLeaveOut; i++)
        {
            Assert.False(health.IsLeftOut("sandboxpay"));
            health.Record("sandboxpay", i % 2 == 0 ? UpstreamOutcomeKind.Timeout : UpstreamOutcomeKind.ServerError);
        }
        Assert.True(health.IsLeftOut("sandboxpay"));
        Assert.False(health.IsLeftOut("snapplify")); // the others are not touched

        // A shopper who leaves, and a verdict of the other upstream, change nothing.
        health.Record("sandboxpay", UpstreamOutcomeKind.Cancelled);
        Assert.True(health.IsLeftOut("sandboxpay"));

        // After the cooldown it is offered again; one failed try leaves it out for another cooldown...
        clock.Advance(UpstreamHealthRule.Cooldown);
        Assert.False(health.IsLeftOut("sandboxpay"));
        health.Record("sandboxpay", UpstreamOutcomeKind.NetworkError);
        Assert.True(health.IsLeftOut("sandboxpay"));

        // ...and one answer clears it.
        clock.Advance(UpstreamHealthRule.Cooldown);
        health.Record("sandboxpay", UpstreamOutcomeKind.Answered);
        Assert.False(health.IsLeftOut("sandboxpay"));
        health.Record("sandboxpay", UpstreamOutcomeKind.ServerError);
        Assert.False(health.IsLeftOut("sandboxpay"));
    }
}
