using Microsoft.Azure.Functions.Worker;
using SnipcartGateway.Hosting;

namespace SnipcartGateway.Api;

/// <summary>
/// GET /checkout/...: the static checkout page, with a strict CSP. The page's URL carries Snipcart's public token,
/// hence no-referrer, and no-store on the HTML; scripts and styles are cached briefly so a deploy shows quickly.
/// The page also deploys as plain static files elsewhere (Gateway__CheckoutPageUrl).
/// </summary>
public sealed class CheckoutPageFunction(CheckoutPageFiles files)
{
    [Function("CheckoutPage")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "checkout/{*path}")] HttpRequest request,
        string? path) =>
        Serve(request, path, files);

    internal static IResult Serve(HttpRequest request, string? path, CheckoutPageFiles files)
    {
        var response = request.HttpContext.Response;
        SecurityHeaders.Page(response, files.ContentSecurityPolicyFor(request.QueryString.Value));
        response.Headers.CacheControl = "no-store";

        // "/checkout" → "/checkout/" so the page's relative asset URLs resolve; the query (the token) is kept.
        if (!request.Path.Value!.EndsWith('/') && string.IsNullOrEmpty(path))
        {
            return Results.Redirect(CheckoutPageFiles.PathPrefix + "/" + request.QueryString);
        }
        if (files.Find(path) is not { } found)
        {
            return ProblemResults.Of(StatusCodes.Status404NotFound, "not_found", "Not found.");
        }
        if (!found.ContentType.StartsWith("text/html", StringComparison.Ordinal))
        {
            response.Headers.CacheControl = "public, max-age=300";
        }
        return Results.File(found.File.CreateReadStream(), found.ContentType, lastModified: found.File.LastModified);
    }
}
