using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using SnipcartGateway.Domain;
using SnipcartGateway.Storage.Payments;
using SnipcartGateway.Tests.EndToEnd;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Support;

/// <summary>The support API under the Functions host: the host's key check, lookups by every key, the attention list
/// and each action.</summary>
[Collection(GatewayStackCollection.Name)]
[Trait("Host", "Functions")]
public sealed class SupportApiTests(GatewayStackFixture stack)
{
    private readonly GatewayHarness _h = stack.Harness;

    [Fact]
    public async Task Without_a_key_every_support_route_answers_401_and_reveals_nothing()
    {
        using var client = _h.Gateway.CreateHttpClient();
        using var wrongKey = _h.Gateway.CreateHttpClient();
        wrongKey.DefaultRequestHeaders.Add("x-functions-key", "not-a-key-of-this-app");
        var requests = new Func<HttpClient, Task<HttpResponseMessage>>[]
        {
            c => c.GetAsync("api/support/payments/pay_aaaaaaaaaaaaaaaaaaaaaaaaaa"),
            c => c.GetAsync("api/support/attention?reason=duplicate_payment"),
            c => c.PostAsJsonAsync("api/support/payments/pay_aaaaaaaaaaaaaaaaaaaaaaaaaa/actions", new { action = "handled" }),
        };
        foreach (var send in requests)
        {
            foreach (var caller in new[] { client, wrongKey })
            {
                using var response = await send(caller);
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                Assert.Equal("", await response.Content.ReadAsStringAsync());
            }
        }
        // The page itself holds nothing and is served to anyone, under its strict policy.
        using var page = await client.GetAsync("support/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.StartsWith("default-src 'none'; script-src 'self';", page.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task A_payment_is_found_by_each_key_with_its_whole_story_and_no_secret()
    {
        await using var desk = await SupportDesk.OpenAsync(_h);
        var paid = await desk.PaidAsync();
        var refund = await new HttpClient().PostAsJsonAsync(paid.RefundsUrl, new { amount = 5m });
        Assert.Equal(HttpStatusCode.OK, refund.StatusCode);
        var invoiceNumber = paid.Session.Invoice.InvoiceNumber!;

        foreach (var (key, matchedBy) in new[]
        {
            (paid.PaymentRef, "paymentRef"), (paid.Session.Id, "sessionId"), (invoiceNumber, "invoiceNumber"),
            (paid.Session.Invoice.TargetId, "cartId"), (paid.ProviderPaymentId, "providerPaymentId"),
        })
        {
            var (response, body) = await desk.GetAsync("api/support/payments/" + Uri.EscapeDataString(key));
            var text = body.GetRawText();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{key}: {(int)response.StatusCode} {text}");
            Assert.Equal(matchedBy, body.GetProperty("matchedBy").GetString());
            var session = Assert.Single(body.GetProperty("sessions").EnumerateArray());
            Assert.Equal(paid.Session.Id, session.GetProperty("id").GetString());
            Assert.Equal(paid.PaymentRef, session.GetProperty("processedPaymentRef").GetString());
            var attempt = Assert.Single(session.GetProperty("attempts").EnumerateArray());
            Assert.Equal("sandboxpay", attempt.GetProperty("provider").GetString());
            Assert.Equal("Processed", attempt.GetProperty("snipcart").GetProperty("told").GetString());
            Assert.Equal(paid.ProviderPaymentId, attempt.GetProperty("providerPaymentId").GetString());
            Assert.Equal("succeeded", attempt.GetProperty("providerStatus").GetString());
            var story = Assert.Single(attempt.GetProperty("refunds").EnumerateArray());
            Assert.Equal(5m, story.GetProperty("amount").GetDecimal());
            Assert.Equal("Succeeded", story.GetProperty("state").GetString());
            Assert.DoesNotContain(paid.RefundKey, text);
            Assert.DoesNotContain(paid.PublicToken, text);
        }

        var (unknown, problem) = await desk.GetAsync("api/support/payments/nothing-like-this");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("payment_not_found", problem.GetProperty("code").GetString());
        var (tooLong, tooLongProblem) = await desk.GetAsync("api/support/payments/" + new string('x', 201));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal("invalid_key", tooLongProblem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_payment_recorded_before_the_index_is_found_by_a_bounded_scan_then_by_the_index()
    {
        await using var desk = await SupportDesk.OpenAsync(_h);
        var paid = await desk.PaidAsync();
        // As if recorded before the lookup index existed: its rows are gone.
        await using (var services = desk.Services())
        {
            var lookups = services.Get<PaymentTables>().Lookups;
            await foreach (var row in lookups.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey eq {paid.PaymentRef}")))
            {
                await lookups.DeleteEntityAsync(row.PartitionKey, row.RowKey);
            }
        }

        var (_, scanned) = await desk.GetAsync("api/support/payments/" + Uri.EscapeDataString(paid.Session.Id));
        Assert.Equal("scan", scanned.GetProperty("matchedBy").GetString());
        var (_, indexed) = await desk.GetAsync("api/support/payments/" + Uri.EscapeDataString(paid.Session.Invoice.InvoiceNumber!));
        Assert.Equal("invoiceNumber", indexed.GetProperty("matchedBy").GetString());
        Assert.Equal(paid.PaymentRef, indexed.GetProperty("sessions")[0].GetProperty("attempts")[0].GetProperty("paymentRef").GetString());
    }

    [Fact]
    public async Task The_attention_list_filters_by_reason_and_date_pages_and_refuses_bad_input()
    {
        await using var desk = await SupportDesk.OpenAsync(_h);
        var (_, duplicate) = await desk.PaidTwiceAsync();
        // 55 more flagged payments of another reason, planted, so the list takes two pages.
        await using (var services = desk.Services())
        {
            var store = services.Get<IPaymentStore>();
            for (var i = 0; i < 55; i++)
            {
                var attempt = Planted.Attempt(DateTimeOffset.UtcNow.AddDays(-3), settled: true);
                attempt.NeedsAttention = true;
                attempt.FailureCode = "confirmation_overdue";
                await Planted.AddAsync(store, attempt);
            }
        }

        var (_, onlyDuplicates) = await desk.GetAsync("api/support/attention?reason=duplicate_payment");
        var item = Assert.Single(onlyDuplicates.GetProperty("items").EnumerateArray());
        Assert.Equal(duplicate, item.GetProperty("paymentRef").GetString());
        Assert.Equal("duplicate_payment", item.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, onlyDuplicates.GetProperty("continuation").ValueKind);

        var (_, recent) = await desk.GetAsync($"api/support/attention?since={DateTimeOffset.UtcNow.AddDays(-1):yyyy-MM-dd}");
        Assert.Equal(duplicate, Assert.Single(recent.GetProperty("items").EnumerateArray()).GetProperty("paymentRef").GetString());

        var seen = new List<string>();
        string? continuation = null;
        var pages = 0;
        do
        {
            var (response, page) = await desk.GetAsync("api/support/attention" + (continuation is null ? "" : "?continuation=" + Uri.EscapeDataString(continuation)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("paymentRef").GetString()!));
            continuation = page.GetProperty("continuation").GetString();
            pages++;
        }
        while (continuation is not null && pages < 10);
        Assert.Equal(56, seen.Distinct().Count());
        Assert.Equal(56, seen.Count);
        Assert.True(pages >= 2);

        foreach (var (query, code) in new[] { ("reason=DROP%20TABLE", "invalid_reason"), ("since=yesterday", "invalid_since"), ("continuation=%21%21%21", "invalid_continuation") })
        {
            var (response, problem) = await desk.GetAsync("api/support/attention?" + query);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(code, problem.GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task Each_action_is_carried_out_once_and_recorded_with_who_when_and_the_note()
    {
        await using var desk = await SupportDesk.OpenAsync(_h);
        var (first, duplicate) = await desk.PaidTwiceAsync();

        // handled: two clicks, one lowers the flag, the other is told.
        var clicks = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => desk.ActAsync(duplicate, new { action = "handled", note = "refunded in the dashboard" })));
        Assert.Single(clicks, c => c.Response.StatusCode == HttpStatusCode.OK);
        var second = Assert.Single(clicks, c => c.Response.StatusCode == HttpStatusCode.Conflict);
        Assert.Equal("not_flagged", second.Body.GetProperty("code").GetString());
        var done = Assert.Single(clicks, c => c.Response.StatusCode == HttpStatusCode.OK).Body;
        // This host passes the worker no claims naming the key used (the key id claim never arrives through the ASP.NET
        // Core integration): the caller is recorded by the key's fingerprint, never by the key itself.
        var by = done.GetProperty("by").GetString()!;
        Assert.Equal("key sha256:" + SnipcartGateway.Api.SupportCaller.Fingerprint(desk.Key), by);
        Assert.DoesNotContain(desk.Key, by);

        // recheck: the finisher asked again (nothing new to tell Snipcart).
        var (recheck, rechecked) = await desk.ActAsync(first.PaymentRef, new { action = "recheck" });
        Assert.Equal(HttpStatusCode.OK, recheck.StatusCode);
        Assert.StartsWith("recheck: ", rechecked.GetProperty("result").GetString());
        Assert.Equal(1, _h.State.ConfirmationsFor(first.Session.Id));

        // A refund by hand (Snapplify has no refund API): dropped through the API, then a second "done" is told it was resolved already.
        var shopper = new SnapplifyShopper(_h, desk.Gateway);
        var (session, byHand, _, redirect) = await shopper.StartAsync();
        await shopper.ReturnAsync(await SnapplifyShopper.ChooseAsync(redirect, "approve"));
        var refund = await new HttpClient().PostAsJsonAsync(_h.State.GetSession(session.Id)!.RefundsUrl!, new { amount = 100m });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refund.StatusCode);
        var (dropped, droppedBody) = await desk.ActAsync(byHand, new { action = "manual_refund_dropped", note = "customer kept the goods" });
        Assert.Equal(HttpStatusCode.OK, dropped.StatusCode);
        Assert.StartsWith("refund of 100", droppedBody.GetProperty("result").GetString());
        var (again, againBody) = await desk.ActAsync(byHand, new { action = "manual_refund_done" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("refund_already_resolved", againBody.GetProperty("code").GetString());

        var (_, story) = await desk.GetAsync("api/support/payments/" + byHand);
        var attempt = story.GetProperty("sessions")[0].GetProperty("attempts")[0];
        Assert.Equal(0m, attempt.GetProperty("refundedAmount").GetDecimal());
        var action = Assert.Single(attempt.GetProperty("actions").EnumerateArray());
        Assert.Equal("manual_refund_dropped", action.GetProperty("action").GetString());
        Assert.Equal("customer kept the goods", action.GetProperty("note").GetString());
        Assert.Equal(by, action.GetProperty("by").GetString());
        Assert.True(action.GetProperty("at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
        var resolved = Assert.Single(attempt.GetProperty("refunds").EnumerateArray());
        Assert.Equal("dropped", resolved.GetProperty("resolution").GetString());

        // Bad input changes nothing.
        foreach (var (body, status, code) in new (object Body, HttpStatusCode Status, string Code)[]
        {
            (new { action = "refund_everything" }, HttpStatusCode.BadRequest, "invalid_action"),
            (new { note = "no action" }, HttpStatusCode.BadRequest, "invalid_action"),
            (new { action = "handled", note = new string('n', 1001) }, HttpStatusCode.BadRequest, "invalid_note"),
        })
        {
            var (response, problem) = await desk.ActAsync(first.PaymentRef, body);
            Assert.Equal(status, response.StatusCode);
            Assert.Equal(code, problem.GetProperty("code").GetString());
        }
        var (unknown, unknownProblem) = await desk.ActAsync("pay_aaaaaaaaaaaaaaaaaaaaaaaaaa", new { action = "handled" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("payment_not_found", unknownProblem.GetProperty("code").GetString());
        using var client = desk.Client();
        using var broken = await client.PostAsync($"api/support/payments/{first.PaymentRef}/actions", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
    }
}
