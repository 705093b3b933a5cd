using SnipcartGateway.Domain;

namespace SnipcartGateway.Tests.Domain;

/// <summary>Our ids: their shape, their randomness and the constant-time key comparison.</summary>
public sealed class PaymentReferencesTests
{
    [Fact]
    public void New_payment_references_are_well_formed_and_never_repeat()
    {
        var refs = Enumerable.Range(0, 200).Select(_ => PaymentReferences.NewPaymentRef()).ToList();

        Assert.All(refs, r => Assert.True(PaymentReferences.IsWellFormedPaymentRef(r), r));
        Assert.All(refs, r => Assert.Matches("^pay_[a-z0-9]{26}$", r));
        Assert.Equal(refs.Count, refs.Distinct().Count());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("pay_abcdefghijklmnopqrstuvwxy")]     // 29 characters
    [InlineData("pay_abcdefghijklmnopqrstuvwxyz0")]   // 31
    [InlineData("PAY_abcdefghijklmnopqrstuvwxyz")]
    [InlineData("ref_abcdefghijklmnopqrstuvwxyz")]
    [InlineData("pay_ABCDEFGHIJKLMNOPQRSTUVWXYZ")]
    [InlineData("pay_abcdefghijklmnopqrstuvwx-z")]
    [InlineData("pay_abcdefghijklmnopqrstuvwx/z")]
    public void Anything_else_is_no_payment_reference(string? value) =>
        Assert.False(PaymentReferences.IsWellFormedPaymentRef(value));

    [Fact]
    public void Keys_claims_and_refund_ids_have_their_length_and_alphabet()
    {
        Assert.Matches("^[a-z0-9]{32}$", PaymentReferences.NewRefundKey());
        Assert.Matches("^[a-z0-9]{16}$", PaymentReferences.NewClaimId());
        Assert.True(Guid.TryParse(PaymentReferences.NewRefundId(), out _));
        Assert.NotEqual(PaymentReferences.NewRefundKey(), PaymentReferences.NewRefundKey());
        Assert.NotEqual(PaymentReferences.NewClaimId(), PaymentReferences.NewClaimId());
        Assert.NotEqual(PaymentReferences.NewRefundId(), PaymentReferences.NewRefundId());
    }

    [Theory]
    [InlineData("k3y", "k3y", true)]
    [InlineData("k3y", "K3Y", false)]
    [InlineData("k3", "k3y", false)]
    [InlineData("k3yy", "k3y", false)]
    [InlineData("", "k3y", false)]
    [InlineData(null, "k3y", false)]
    public void A_key_matches_only_itself(string? presented, string expected, bool matches) =>
        Assert.Equal(matches, PaymentReferences.KeysMatch(presented, expected));
}
