using Microsoft.Extensions.FileProviders;

namespace SnipcartGateway.Hosting;

/// <summary>
/// Serves the checkout page (checkout-page/, copied to wwwroot/checkout by the csproj) at /checkout/ with a strict
/// CSP. The page's URL carries Snipcart's public token, hence no-referrer and no-store on the HTML.
/// </summary>
public static class CheckoutPageHosting
{
    public const string PathPrefix = "/checkout";

    /// <summary>Optional extra origin for connect-src, when the page calls an API on another origin.</summary>
    public const string ApiOriginSetting = "CheckoutPage:ApiOrigin";

    public static WebApplication UseCheckoutPage(this WebApplication app)
    {
        // Resolved from the binaries, not the web root: the Functions host and WebApplicationFactory each pick
        // their own content root, but the files are always copied next to the assembly.
        var root = Path.Combine(AppContext.BaseDirectory, "wwwroot", "checkout");
        var files = Directory.Exists(root) ? (IFileProvider)new PhysicalFileProvider(root) : new NullFileProvider();
        var csp = ContentSecurityPolicy(app.Configuration[ApiOriginSetting]);

        // "/checkout" → "/checkout/" so the page's relative asset URLs resolve; the query (token) is kept.
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.Equals(PathPrefix, StringComparison.OrdinalIgnoreCase) && HttpMethods.IsGet(context.Request.Method))
            {
                AddSecurityHeaders(context.Response, csp);
                context.Response.Headers.CacheControl = "no-store";
                context.Response.Redirect(context.Request.PathBase + PathPrefix + "/" + context.Request.QueryString);
                return;
            }
            await next(context);
        });

        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(PathPrefix, StringComparison.OrdinalIgnoreCase),
            branch =>
            {
                branch.Use(async (context, next) =>
                {
                    context.Response.OnStarting(() =>
                    {
                        AddSecurityHeaders(context.Response, csp);
                        var isHtml = context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) != false;
                        // HTML (and errors) never cached; the scripts and styles briefly, so a deploy shows quickly.
                        context.Response.Headers.CacheControl = isHtml || context.Response.StatusCode != StatusCodes.Status200OK
                            ? "no-store"
                            : "public, max-age=300";
                        return Task.CompletedTask;
                    });
                    await next(context);
                });
                branch.UseDefaultFiles(new DefaultFilesOptions { RequestPath = PathPrefix, FileProvider = files, DefaultFileNames = ["index.html"] });
                branch.UseStaticFiles(new StaticFileOptions { RequestPath = PathPrefix, FileProvider = files });
            });
        return app;
    }

    /// <summary>
    /// Declares the page as the HTTP function "CheckoutPage" (route checkout/{*path}) so the Functions host
    /// forwards it to us. The files themselves are served by the static-file branch above, which runs before
    /// routing; this endpoint only answers what that branch did not find.
    /// </summary>
    public static IEndpointRouteBuilder MapCheckoutPageFunction(this IEndpointRouteBuilder app)
    {
        app.MapGet(PathPrefix + "/{**path}", () => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found."))
            .AsFunction("CheckoutPage")
            .ExcludeFromDescription();
        return app;
    }

    internal static string ContentSecurityPolicy(string? apiOrigin)
    {
        var connect = "'self'";
        if (Uri.TryCreate(apiOrigin, UriKind.Absolute, out var origin) && (origin.Scheme == Uri.UriSchemeHttps || origin.Scheme == Uri.UriSchemeHttp))
        {
            connect += " " + origin.GetLeftPart(UriPartial.Authority);
        }
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
            + $"connect-src {connect}; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    private static void AddSecurityHeaders(HttpResponse response, string csp)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = csp;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        // Nothing the page uses; payment stays allowed for itself, for the later Payment Request (widget) providers.
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), usb=(), payment=(self)";
    }
}
