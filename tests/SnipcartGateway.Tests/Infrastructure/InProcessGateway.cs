using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SnipcartGateway.Api;
using SnipcartGateway.Hosting;
using SnipcartGateway.Payments;

namespace SnipcartGateway.Tests.Infrastructure;

/// <summary>
/// The gateway's services in the test process, built by the same <c>AddGateway</c> as the app, on the same
/// settings as a host instance (so on the same tables, sandbox and keys). For the two things a host cannot do:
/// read the store to assert on what was recorded, and replace a service no setting can express (a provider
/// without a refund API). HTTP behaviour itself is tested under the host.
/// </summary>
public sealed class InProcessGateway : IAsyncDisposable
{
    private InProcessGateway(ServiceProvider services) => Services = services;

    public ServiceProvider Services { get; }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>The services of <paramref name="harness"/>'s gateway (its settings plus <paramref name="settings"/>), with optional overrides.</summary>
    public static InProcessGateway For(GatewayHarness harness, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? overrides = null)
    {
        var all = harness.GatewaySettings(harness.GatewayPort);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(all).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration).AddGateway(configuration);
        overrides?.Invoke(services);
        return new InProcessGateway(services.BuildServiceProvider());
    }

    /// <summary>What a function answered: status, content type and body.</summary>
    public sealed record Answer(int Status, string? ContentType, string Body)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    }

    /// <summary>
    /// Runs a function's static handler on a request with this JSON body and query, turning refusals into
    /// problems as the worker middleware does, and executes the result.
    /// </summary>
    public async Task<Answer> InvokeAsync(Func<HttpRequest, Task<IResult>> handler, object body, string queryString = "")
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.QueryString = new QueryString(queryString);
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(body, JsonSerializerOptions.Web)));
        var response = new MemoryStream();
        context.Response.Body = response;

        IResult result;
        try
        {
            result = await handler(context.Request);
        }
        catch (GatewayProblemException problem)
        {
            result = ProblemResults.From(problem);
        }
        await result.ExecuteAsync(context);
        return new Answer(context.Response.StatusCode, context.Response.ContentType, Encoding.UTF8.GetString(response.ToArray()));
    }

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}
