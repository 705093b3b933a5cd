using SnipcartGateway.Domain;

namespace SnipcartGateway.Tests.Domain;

/// <summary>Snipcart's mode as it arrives ("test", "Live", ...) and as we write it.</summary>
public sealed class PaymentModeTests
{
    [Theory]
    [InlineData("test", PaymentMode.Test)]
    [InlineData("Test", PaymentMode.Test)]
    [InlineData(" TEST ", PaymentMode.Test)]
    [InlineData("live", PaymentMode.Live)]
    [InlineData("Live", PaymentMode.Live)]
    [InlineData(" LIVE ", PaymentMode.Live)]
    public void Reads_both_modes_whatever_their_case(string value, PaymentMode expected)
    {
        Assert.True(PaymentModes.TryParse(value, out var mode));
        Assert.Equal(expected, mode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("production")]
    [InlineData("tes")]
    [InlineData("1")]
    public void Anything_else_is_no_mode(string? value)
    {
        Assert.False(PaymentModes.TryParse(value, out var mode));
        Assert.Equal(default, mode);
    }

    [Fact]
    public void Writes_each_mode_in_lower_case()
    {
        Assert.Equal("test", PaymentMode.Test.ToWire());
        Assert.Equal("live", PaymentMode.Live.ToWire());
    }
}
