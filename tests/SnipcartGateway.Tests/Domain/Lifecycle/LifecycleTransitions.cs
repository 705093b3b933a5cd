using SnipcartGateway.Domain;
using SnipcartGateway.Domain.Lifecycle;

namespace SnipcartGateway.Tests.Domain.Lifecycle;

/// <summary>The state changes the decision can make: each case's decision applied to its attempt as the executor
/// applies it (and, for TellSnipcart, Snipcart accepting the state).</summary>
public static class LifecycleTransitions
{
    public static IReadOnlySet<(PaymentState From, PaymentState To)> FromCode()
    {
        var edges = new HashSet<(PaymentState, PaymentState)>();
        foreach (var c in LifecycleCase.All())
        {
            var input = c.Input();
            var decision = PaymentLifecycle.Decide(input);
            var attempt = input.Attempt;
            if (decision.Step == LifecycleStep.GiveBack)
            {
                // The provider's final answer (given back, refused, by hand) ends the give-back.
                attempt.GiveBackState = GiveBackState.Done;
                edges.Add((c.State, PaymentStates.Of(attempt)));
                continue;
            }
            if (decision.Step is not (LifecycleStep.Save or LifecycleStep.TellSnipcart))
            {
                continue;
            }
            if (decision.RecordView && c.ViewIsPayment)
            {
                LifecycleEffects.RecordView(attempt, c.View, "status", null, null, null, LifecycleCase.Now);
            }
            LifecycleEffects.Apply(attempt, decision, LifecycleCase.Now);
            if (decision.Step == LifecycleStep.TellSnipcart)
            {
                attempt.Claim(decision.Send!.Value, "claim", LifecycleCase.Now, TimeSpan.FromMinutes(2));
                attempt.ConfirmClaim(null, LifecycleCase.Now);
            }
            var to = PaymentStates.Of(attempt);
            if (to != c.State)
            {
                edges.Add((c.State, to));
            }
        }
        return edges;
    }
}
