using System.Text.RegularExpressions;
using SnipcartGateway.Domain.Lifecycle;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Domain.Lifecycle;

/// <summary>docs/payment-lifecycle.md draws every state change the decision can make, and nothing else.</summary>
public sealed partial class LifecycleDiagramTests
{
    [Fact]
    public void The_diagram_has_exactly_the_transitions_the_decision_makes()
    {
        var drawn = DrawnTransitions();
        var made = LifecycleTransitions.FromCode();
        var missing = made.Except(drawn).Select(e => $"{e.From} --> {e.To}").ToList();
        var extra = drawn.Except(made).Select(e => $"{e.From} --> {e.To}").ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"Not drawn: {string.Join(", ", missing)}. Drawn but never made: {string.Join(", ", extra)}.");
    }

    [Fact]
    public void Every_state_is_drawn()
    {
        var text = Diagram();
        foreach (var state in Enum.GetValues<PaymentState>())
        {
            Assert.Matches(new Regex($@"\b{state}\b"), text);
        }
    }

    [Fact]
    public void Every_rule_the_decision_names_is_described()
    {
        var doc = File.ReadAllText(RepoPaths.Combine("docs", "payment-lifecycle.md"));
        var rules = LifecycleCase.All().Select(c => PaymentLifecycle.Decide(c.Input()).Rule).Distinct().ToList();
        Assert.All(rules, rule => Assert.Contains($"| `{rule}` |", doc));
    }

    private static string Diagram()
    {
        var doc = File.ReadAllText(RepoPaths.Combine("docs", "payment-lifecycle.md"));
        var start = doc.IndexOf("```mermaid", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/payment-lifecycle.md has no mermaid block");
        var end = doc.IndexOf("```", start + 10, StringComparison.Ordinal);
        var block = doc[(start + 10)..end];
        Assert.Contains("stateDiagram-v2", block);
        return block;
    }

    private static HashSet<(PaymentState From, PaymentState To)> DrawnTransitions()
    {
        var edges = new HashSet<(PaymentState, PaymentState)>();
        foreach (Match m in Edge().Matches(Diagram()))
        {
            var from = m.Groups["from"].Value;
            var to = m.Groups["to"].Value;
            if (from == "[*]" || to == "[*]")
            {
                continue;
            }
            edges.Add((Enum.Parse<PaymentState>(from), Enum.Parse<PaymentState>(to)));
        }
        return edges;
    }

    [GeneratedRegex(@"^\s*(?<from>\[\*\]|\w+)\s*-->\s*(?<to>\[\*\]|\w+)", RegexOptions.Multiline)]
    private static partial Regex Edge();
}
