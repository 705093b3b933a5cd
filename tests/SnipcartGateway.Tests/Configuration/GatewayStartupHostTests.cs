using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Configuration;

/// <summary>
/// The published app under the real Functions host refuses to serve without Gateway__PublicBaseUrl. Which setting
/// is at fault is asserted in process (<see cref="GatewayOptionsTests"/>): this host version does not copy the
/// worker's own console output into its log, so here the host's word for it is that the worker could not start.
/// </summary>
[Collection(GatewayStackCollection.Name)]
[Trait("Host", "Functions")]
public sealed class GatewayStartupHostTests(GatewayStackFixture stack)
{
    [Fact]
    public async Task The_worker_does_not_start_without_its_public_base_url()
    {
        // The stack's own settings, which serve (the stack's gateway runs on them), minus the one setting.
        var port = AzuriteFixture.FreeTcpPort();
        var settings = stack.Harness.GatewaySettings(port);
        settings.Remove("Gateway:PublicBaseUrl");

        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var host = await FunctionsHostProcess.StartAsync(
                await FunctionAppPackage.FolderAsync(), port, settings, readyPath: "checkout/index.html", timeout: TimeSpan.FromSeconds(60));
        });

        // The host restarts the worker three times (about 30 s) before it says so; 60 s leaves room on a busy machine.
        // Either the host gave up and exited, or it kept restarting the worker until the timeout: never a page.
        Assert.True(error is TimeoutException or InvalidOperationException, error.ToString());
        Assert.Contains("Exceeded language worker restart retry count", error.Message);
        Assert.DoesNotContain("Executed 'Functions.CheckoutPage' (Succeeded", error.Message);
    }
}
