using Microsoft.Extensions.FileProviders;

namespace SnipcartGateway.Hosting;

/// <summary>The support page's files (support-page/, published into wwwroot/support) and its policy: its own files
/// only, calls to its own origin only (the support API), no inline code, no framing.</summary>
public sealed class SupportPageFiles
{
    public const string PathPrefix = "/support";

    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private readonly StaticPageFolder _files = new("support");

    public (IFileInfo File, string ContentType)? Find(string? relativePath) => _files.Find(relativePath);
}
