namespace SnipcartGateway.Tests.Infrastructure;

/// <summary>The ports of an Azurite already running, which the mutation run hands to every test host.</summary>
public sealed class SharedAzuriteTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Without_ports_the_tests_start_their_own_azurite(string? value) =>
        Assert.Null(AzuriteFixture.SharedPorts(value));

    [Fact]
    public void Ports_are_read_as_blob_queue_and_table() =>
        Assert.Equal((20001, 20002, 20003), AzuriteFixture.SharedPorts("20001:20002:20003"));

    [Theory]
    [InlineData("20001:20002")]
    [InlineData("20001:20002:20003:20004")]
    [InlineData("20001:queue:20003")]
    [InlineData("0:20002:20003")]
    [InlineData("20001:20002:65536")]
    public void Anything_else_stops_the_run_with_what_was_expected(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => AzuriteFixture.SharedPorts(value));
        Assert.Contains("blob:queue:table", error.Message, StringComparison.Ordinal);
    }
}
