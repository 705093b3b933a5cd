using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using SnipcartGateway.Hosting;

namespace SnipcartGateway.Tests.Hosting;

/// <summary>The custom-handler timer contract, with a test-only timer: POST /{Name} {Data, Metadata} → {Outputs, Logs, ReturnValue}.</summary>
public sealed class TimerFunctionTests
{
    /// <summary>The payload shape from azure-hosting.md §1.5 (binding named as in the Go sample).</summary>
    private const string CapturedPayload = """
        { "Data": { "pollingTrigger": { "Schedule": {"AdjustForDST": true},
            "ScheduleStatus": {"Last":"2022-03-28T15:40:00.01+00:00","Next":"2022-03-28T15:45:00+00:00","LastUpdated":"2022-03-28T15:40:00.01+00:00"},
            "IsPastDue": true } },
          "Metadata": { "sys": { "MethodName": "pollingTrigger", "UtcNow": "2019-10-09T17:58:32.22Z", "RandGuid": "24ad4c06-0000" } } }
        """;

    private TimerInvocation? _received;

    private Task<WebApplication> StartAsync(Func<TimerInvocation, IReadOnlyList<string>>? run = null) =>
        TestApps.StartAsync(app => app.MapTimerFunction("TestTimer", "0 0 * * * *", (_, invocation, _) =>
        {
            _received = invocation;
            return Task.FromResult(run?.Invoke(invocation) ?? ["ran"]);
        }));

    [Fact]
    public async Task Captured_payload_runs_the_timer_and_answers_the_host_contract()
    {
        await using var app = await StartAsync(i => [$"past due: {i.IsPastDue}"]);

        var response = await app.GetTestClient().PostAsync("/TestTimer", new StringContent(CapturedPayload, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new TimerInvocation(true, new DateTimeOffset(2019, 10, 9, 17, 58, 32, 220, TimeSpan.Zero)), _received);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(JsonValueKind.Object, body.RootElement.GetProperty("Outputs").ValueKind);
        Assert.Empty(body.RootElement.GetProperty("Outputs").EnumerateObject());
        Assert.Equal(["past due: True"], body.RootElement.GetProperty("Logs").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(JsonValueKind.Null, body.RootElement.GetProperty("ReturnValue").ValueKind);
    }

    [Fact]
    public async Task Timer_value_sent_as_a_json_string_and_lowercase_names_are_understood()
    {
        await using var app = await StartAsync();
        var inner = JsonSerializer.Serialize(new { isPastDue = true });
        var payload = JsonSerializer.Serialize(new { data = new { timer = inner }, metadata = new { sys = JsonSerializer.Serialize(new { utcNow = "2024-01-02T03:04:05Z" }) } });

        var response = await app.GetTestClient().PostAsync("/TestTimer", new StringContent(payload, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new TimerInvocation(true, new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero)), _received);
    }

    [Fact]
    public async Task Empty_or_partial_payloads_still_run_the_timer()
    {
        await using var app = await StartAsync();
        var client = app.GetTestClient();

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/TestTimer", new StringContent(""))).StatusCode);
        Assert.Equal(new TimerInvocation(false, null), _received);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/TestTimer", new { Data = new { } })).StatusCode);
        Assert.Equal(new TimerInvocation(false, null), _received);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_400_problem_and_the_timer_does_not_run()
    {
        await using var app = await StartAsync();

        var response = await app.GetTestClient().PostAsync("/TestTimer", new StringContent("not json{", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(_received);
    }

    [Fact]
    public async Task A_failing_timer_answers_500_so_the_host_fails_the_invocation_without_leaking_the_error()
    {
        await using var app = await StartAsync(_ => throw new InvalidOperationException("secret connection string"));

        var response = await app.GetTestClient().PostAsync("/TestTimer", new StringContent(CapturedPayload, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("TestTimer", body);
        Assert.DoesNotContain("secret", body);
    }

    [Fact]
    public void Payload_reader_accepts_a_string_boolean()
    {
        var invocation = TimerPayloadReader.Read("""{"Data":{"timer":{"IsPastDue":"true"}}}""");
        Assert.True(invocation.IsPastDue);
    }
}
