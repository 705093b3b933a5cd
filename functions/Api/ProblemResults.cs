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

    /// <summary>Runs the handler and maps a <see cref="GatewayProblemException"/> to its problem response.</summary>
    public static TBuilder WithGatewayProblems<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await next(context);
            }
            catch (GatewayProblemException problem)
            {
                return From(problem);
            }
        });
}
