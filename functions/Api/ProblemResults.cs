using SnipcartGateway.Payments;

namespace SnipcartGateway.Api;

/// <summary>Turns refusals into application/problem+json with a stable <c>code</c> extension.</summary>
public static class ProblemResults
{
    public static IResult From(GatewayProblemException problem)
    {
        var extensions = new Dictionary<string, object?>(problem.Extensions) { ["code"] = problem.Code };
        return Results.Problem(statusCode: problem.Status, title: problem.Title, detail: problem.Detail, extensions: extensions);
    }

    public static IResult Of(int status, string code, string title, string? detail = null) =>
        From(new GatewayProblemException(status, code, title, detail));
}
