using Microsoft.Azure.Functions.Worker;
using SnipcartGateway.Hosting;

namespace SnipcartGateway.Api;

/// <summary>
/// GET /support/...: the support page's static files, with a strict CSP. The files carry nothing secret (anonymous,
/// like the checkout page); the page asks for a function key and sends it to the support API in the
/// <c>x-functions-key</c> header, never in a URL. no-store on everything: it is an operator's tool.
/// </summary>
public sealed class SupportPageFunction(SupportPageFiles files)
{
    [Function("SupportPage")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "support/{*path}")] HttpRequest request,
        string? path) =>
        Serve(request, path, files);

    internal static IResult Serve(HttpRequest request, string? path, SupportPageFiles files)
    {
        var response = request.HttpContext.Response;
        SecurityHeaders.Page(response, SupportPageFiles.ContentSecurityPolicy);
        response.Headers.CacheControl = "no-store";
        if (!request.Path.Value!.EndsWith('/') && string.IsNullOrEmpty(path))
        {
            return Results.Redirect(SupportPageFiles.PathPrefix + "/");
        }
        return files.Find(path) is { } found
            ? Results.File(found.File.CreateReadStream(), found.ContentType, lastModified: found.File.LastModified)
            : ProblemResults.Of(StatusCodes.Status404NotFound, "not_found", "Not found.");
    }
}
