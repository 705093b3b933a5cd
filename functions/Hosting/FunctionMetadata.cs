namespace SnipcartGateway.Hosting;

/// <summary>
/// Marks an endpoint as an Azure Functions HTTP function. Routes are declared once, in C#: function.json files
/// are generated from this metadata (FunctionJsonWriter) and a test fails when the committed ones drift.
/// </summary>
public sealed record HttpFunctionMetadata(string Name, string AuthLevel);

/// <summary>Marks the POST /{Name} endpoint that the Functions host calls for a timer trigger.</summary>
public sealed record TimerFunctionMetadata(string Name, string Schedule);

public static class FunctionAuthLevels
{
    public const string Anonymous = "anonymous";
    public const string Function = "function";
}

public static class FunctionEndpointExtensions
{
    /// <summary>Declares the endpoint as the HTTP function <paramref name="name"/>.</summary>
    public static TBuilder AsFunction<TBuilder>(this TBuilder builder, string name, string authLevel = FunctionAuthLevels.Anonymous)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new HttpFunctionMetadata(name, authLevel));
}
