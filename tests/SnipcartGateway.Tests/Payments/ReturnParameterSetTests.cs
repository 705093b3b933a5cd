using System.Text.Json;
using SnipcartGateway.Payments;

namespace SnipcartGateway.Tests.Payments;

/// <summary>A shopper's return query, bounded before it reaches a provider or the attempt's row; and which accepted
/// parameters are kept for later lookups.</summary>
public sealed class ReturnParameterSetTests
{
    private static Dictionary<string, string> Query(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value);

    private static int StoredLength(IReadOnlyDictionary<string, string> set) =>
        JsonSerializer.Serialize(set).Length;

    [Fact]
    public void Parameters_within_every_bound_are_all_kept_and_keys_ignore_case()
    {
        var bounded = ReturnParameterSet.Bound(Query(("token", "tok_1"), ("PayerID", "P1")));

        Assert.Equal(2, bounded.Count);
        Assert.Equal(("tok_1", "P1"), (bounded["TOKEN"], bounded["payerid"]));
    }

    [Theory]
    [InlineData(0, 10, false)]
    [InlineData(1, 10, true)]
    [InlineData(ReturnParameterSet.MaxKeyLength, 10, true)]
    [InlineData(ReturnParameterSet.MaxKeyLength + 1, 10, false)]
    [InlineData(5, 0, true)]
    [InlineData(5, ReturnParameterSet.MaxValueLength, true)]
    [InlineData(5, ReturnParameterSet.MaxValueLength + 1, false)]
    public void A_parameter_is_kept_only_with_a_key_and_value_within_their_lengths(int keyLength, int valueLength, bool kept)
    {
        var key = new string('k', keyLength);
        var bounded = ReturnParameterSet.Bound(Query((key, new string('v', valueLength)), ("next", "1")));

        Assert.Equal(kept, bounded.ContainsKey(key));
        Assert.Equal("1", bounded["next"]);
    }

    [Fact]
    public void Only_the_first_twenty_parameters_are_kept()
    {
        var query = Enumerable.Range(0, 25).ToDictionary(i => $"p{i:00}", i => i.ToString());

        var bounded = ReturnParameterSet.Bound(query);

        Assert.Equal(ReturnParameterSet.MaxParameters, bounded.Count);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"p{i:00}"), bounded.Keys);
    }

    [Fact]
    public void What_would_pass_the_stored_bound_is_left_out_and_smaller_ones_after_it_still_kept()
    {
        // 'é' is six characters in the stored JSON: 2,000 of them take 12,002 with their quotes.
        var big = new string('é', 2_000);
        var bounded = ReturnParameterSet.Bound(Query(("a", big), ("b", big), ("c", "small")));

        Assert.Equal(["a", "c"], bounded.Keys);
        Assert.InRange(StoredLength(bounded), 0, ReturnParameterSet.MaxStoredLength);
    }

    [Fact]
    public void A_set_that_fills_the_stored_bound_exactly_is_kept_whole()
    {
        // Counted as stored: 2 for the braces, then per pair its quoted key and value and 2 more. "a" with 2,000 'é'
        // (six characters each as stored) counts 3 + 12,002 + 2 = 12,007, leaving 3,991: "b" with 400 'é' and
        // 1,584 'v' counts 3 + 3,986 + 2 = 3,991 exactly.
        var a = new string('é', 2_000);
        var exact = ReturnParameterSet.Bound(Query(("a", a), ("b", new string('é', 400) + new string('v', 1_584))));
        var over = ReturnParameterSet.Bound(Query(("a", a), ("b", new string('é', 400) + new string('v', 1_585))));

        Assert.Equal(["a", "b"], exact.Keys);
        Assert.Equal(["a"], over.Keys);
    }

    [Fact]
    public void Keeping_an_accepted_return_replaces_its_keys_and_keeps_the_others()
    {
        var kept = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["token"] = "tok_1", ["session"] = "s1" };

        ReturnParameterSet.Keep(kept, Query(("TOKEN", "tok_2"), ("extra", "x")));

        Assert.Equal(3, kept.Count);
        Assert.Equal(("tok_2", "s1", "x"), (kept["token"], kept["session"], kept["extra"]));
    }

    [Fact]
    public void A_full_set_replaces_a_kept_key_but_takes_no_new_one()
    {
        var kept = Enumerable.Range(0, ReturnParameterSet.MaxParameters).ToDictionary(i => $"p{i}", _ => "old", StringComparer.OrdinalIgnoreCase);

        ReturnParameterSet.Keep(kept, Query(("p3", "new"), ("another", "x")));

        Assert.Equal(ReturnParameterSet.MaxParameters, kept.Count);
        Assert.Equal("new", kept["p3"]);
        Assert.False(kept.ContainsKey("another"));
    }

    [Fact]
    public void What_would_pass_the_stored_bound_is_not_kept_but_a_replacement_counts_only_its_own_size()
    {
        var big = new string('é', 2_000);
        var kept = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["a"] = big };

        ReturnParameterSet.Keep(kept, Query(("b", big)));
        Assert.False(kept.ContainsKey("b"));

        // Replacing "a" with a value as big does not count the old "a" as well.
        ReturnParameterSet.Keep(kept, Query(("a", new string('è', 2_000))));
        Assert.StartsWith("è", kept["a"], StringComparison.Ordinal);

        // Exactly at the bound is kept; one more character is not.
        var room = ReturnParameterSet.MaxStoredLength - 2 - (JsonSerializer.Serialize("a").Length + JsonSerializer.Serialize(kept["a"]).Length + 2) - 7;
        ReturnParameterSet.Keep(kept, Query(("c", new string('v', room + 1))));
        Assert.False(kept.ContainsKey("c"));
        ReturnParameterSet.Keep(kept, Query(("c", new string('v', room))));
        Assert.True(kept.ContainsKey("c"));
    }
}
