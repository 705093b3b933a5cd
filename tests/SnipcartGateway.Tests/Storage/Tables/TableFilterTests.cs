using SnipcartGateway.Storage.Tables;

namespace SnipcartGateway.Tests.Storage.Tables;

public sealed class TableFilterTests
{
    [Fact]
    public void Literals_are_formatted_as_OData_expects()
    {
        Assert.Equal("S eq 'o''brien'", TableFilter.Equal("S", "o'brien"));
        Assert.Equal("B ne true", TableFilter.NotEqual("B", true));
        Assert.Equal("I gt 7", TableFilter.GreaterThan("I", 7));
        Assert.Equal("L ge 1099511627776L", TableFilter.GreaterThanOrEqual("L", 1L << 40));
        Assert.Equal("D lt 2.0", TableFilter.LessThan("D", 2.0));
        Assert.Equal("D le 2.5", TableFilter.LessThanOrEqual("D", 2.5));
        Assert.Equal("T eq datetime'2025-01-02T03:04:05.0000000Z'",
            TableFilter.Equal("T", new DateTimeOffset(2025, 1, 2, 4, 4, 5, TimeSpan.FromHours(1))));
        Assert.Equal("G eq guid'0f8fad5b-d9cb-469f-a165-70867728950e'",
            TableFilter.Equal("G", Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e")));
        Assert.Equal("X eq X'00FF'", TableFilter.Equal("X", new byte[] { 0, 255 }));
    }

    [Fact]
    public void Combinators_parenthesise_each_operand()
    {
        Assert.Equal("(A eq 1) and (B eq 'x') and (not (C eq true))",
            TableFilter.And(TableFilter.Equal("A", 1), TableFilter.Equal("B", "x"), TableFilter.Not(TableFilter.Equal("C", true))));
        Assert.Equal("(A eq 1) or (A eq 2)", TableFilter.Or(TableFilter.Equal("A", 1), TableFilter.Equal("A", 2)));
        Assert.Equal("A eq 1", TableFilter.And(TableFilter.Equal("A", 1)));
    }

    [Fact]
    public void Unsafe_property_names_and_unsupported_values_are_refused()
    {
        Assert.Throws<ArgumentException>(() => TableFilter.Equal("A eq 1 or B", 1));
        Assert.Throws<ArgumentException>(() => TableFilter.Equal("Price", 1.5m));
        Assert.Throws<ArgumentException>(() => TableFilter.Equal("D", double.NaN));
    }
}
