using SnipcartGateway.Domain;
using SnipcartGateway.Providers;
using SnipcartGateway.Providers.Snapplify;

namespace SnipcartGateway.Tests.Providers.Snapplify;

/// <summary>When /payment/validate may be called: only with a token Snapplify gave us for a reason, once each.</summary>
public sealed class SnapplifyValidateRuleTests
{
    private const string RequestToken = "tok-request";

    public static TheoryData<string, string?, bool, string, SnapplifyValidateAction, string?> Cases => new()
    {
        // what the attempt holds (k=v;...), return token, final check → action, token
        { "", null, false, "nothing yet", SnapplifyValidateAction.NotYet, null },
        { "", "tok-r", false, "a return", SnapplifyValidateAction.Call, "tok-r" },
        { "validatedReturnToken=tok-r;validateAnswer={}", "tok-r", false, "the same return again", SnapplifyValidateAction.FromKept, null },
        { "validatedReturnToken=tok-r;validateAnswer={}", "tok-other", false, "a return with another token", SnapplifyValidateAction.Call, "tok-other" },
        { "ipnEvent=PENDING|tok-i|1;ipnAuthorisationCode=tok-i", null, false, "a verified IPN", SnapplifyValidateAction.Call, "tok-i" },
        { "ipnEvent=PENDING||1", null, false, "an IPN without a code", SnapplifyValidateAction.Call, RequestToken },
        { "ipnEvent=PENDING|tok-i|1;ipnAuthorisationCode=tok-i;validatedIpnEvent=PENDING|tok-i|1;validateAnswer={}", null, false, "the same IPN again", SnapplifyValidateAction.FromKept, null },
        { "ipnEvent=PAID|tok-i|2;ipnAuthorisationCode=tok-i;validatedIpnEvent=PENDING|tok-i|1;validateAnswer={}", null, false, "a new IPN event", SnapplifyValidateAction.Call, "tok-i" },
        { "validateAnswer={}", null, false, "a kept answer, no new token", SnapplifyValidateAction.FromKept, null },
        { "", null, true, "the final check", SnapplifyValidateAction.Call, RequestToken },
        { "validatedReturnToken=tok-r;validateAnswer={}", "tok-r", true, "the final check after a return", SnapplifyValidateAction.Call, RequestToken },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decides_whether_to_call_validate(string held, string? returnToken, bool finalCheck, string why, SnapplifyValidateAction action, string? token)
    {
        var data = held.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var lookup = new ProviderPaymentLookup
        {
            PaymentRef = "pay_x",
            Mode = PaymentMode.Test,
            ProviderPaymentId = RequestToken,
            ProviderData = data,
            FinalCheck = finalCheck,
        };

        var decision = SnapplifyValidateRule.Decide(lookup, returnToken, RequestToken);

        Assert.True(action == decision.Action, why);
        Assert.Equal(token, decision.Token);
    }

    [Fact]
    public void The_ipn_path_fits_snapplifys_15_seconds_in_the_worst_case()
    {
        // ipn/validate: one attempt (a POST without idempotency is never retried); validate: the pipeline's total cap.
        Assert.Equal(TimeSpan.FromSeconds(13.8), SnapplifyTimeouts.IpnWorstCase);
        Assert.True(SnapplifyTimeouts.IpnWorstCase < SnapplifyTimeouts.IpnAnswerLimit);
    }
}
