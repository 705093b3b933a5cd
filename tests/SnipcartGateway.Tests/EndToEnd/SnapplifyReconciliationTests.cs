using System.Net;
using SnipcartGateway.Sandbox.Snapplify;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.EndToEnd;

/// <summary>A Snapplify payment left pending, settled later without an IPN reaching us: the reconciliation timer (run
/// through the host's admin API) does not call /payment/validate again for a token already validated (Snapplify
/// describes validate once, after the return); the final check at the checkout's expiry does. Its own gateway instance
/// on its own tables, where nothing is too fresh to reconcile.</summary>
[Collection(GatewayStackCollection.Name)]
[Trait("Host", "Functions")]
public sealed class SnapplifyReconciliationTests(GatewayStackFixture stack)
{
    private readonly GatewayHarness _h = stack.Harness;

    [Fact]
    public async Task The_timer_does_not_validate_a_returned_pending_payment_again_without_a_new_token()
    {
        var gateway = await _h.StartGatewayAsync(settings: new Dictionary<string, string?>
        {
            ["Storage:TablePrefix"] = "s" + Guid.NewGuid().ToString("N")[..10],
            ["Reconcile:Schedule"] = "0 0 0 1 1 *",
            ["Payments:ReconcileAfter"] = "00:00:00",
        });
        try
        {
            var shopper = new SnapplifyShopper(_h, gateway);
            var (session, _, payment, redirect) = await shopper.StartAsync();
            Assert.Equal(HttpStatusCode.Redirect, (await shopper.ReturnAsync(await SnapplifyShopper.ChooseAsync(redirect, "pending"))).StatusCode);
            Assert.Equal("processing", Assert.Single(_h.State.PaymentCallsFor(session.Id)).State);

            // The "pending" choice sends an IPN too; a verified IPN is a reason to validate once, so it is answered and
            // its event validated (by its own pass or by this run) before the payment settles without one.
            await _h.State.WaitUntilAsync(_ => shopper.Snapplify.IpnAttempts.Any(a => a.Token == payment.Token && a.StatusCode == 200), TimeSpan.FromSeconds(20));
            Assert.True(await gateway.RunReconcileAsync(), "The host logged the Reconcile run as failed:\n" + gateway.Output);

            // Settled at Snapplify; its IPN never reaches us.
            shopper.Snapplify.SetState(payment.Token, SnapplifyStates.Completed, notify: false);
            var validations = shopper.Snapplify.ValidateCalls(payment.Token);
            Assert.True(await gateway.RunReconcileAsync(), "The host logged the Reconcile run as failed:\n" + gateway.Output);
            Assert.True(await gateway.RunReconcileAsync(), "The host logged the Reconcile run as failed:\n" + gateway.Output);

            Assert.Equal(["processing"], _h.State.PaymentCallsFor(session.Id).Select(c => c.State));
            Assert.Equal(validations, shopper.Snapplify.ValidateCalls(payment.Token));
        }
        finally
        {
            await _h.StopGatewayAsync(gateway);
        }
    }
}
