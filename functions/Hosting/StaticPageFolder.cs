using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace SnipcartGateway.Hosting;

/// <summary>A page's static files under wwwroot/{folder} next to the app, found by relative path without ever leaving
/// the folder. The worker has no static-files middleware: the page functions serve them through this.</summary>
public sealed class StaticPageFolder
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();
    private readonly IFileProvider _files;

    public StaticPageFolder(string folder)
    {
        // Resolved from the binaries, not the working directory: the Functions host starts the worker from its own.
        var root = Path.Combine(AppContext.BaseDirectory, "wwwroot", folder);
        _files = Directory.Exists(root) ? new PhysicalFileProvider(root) : new NullFileProvider();
    }

    /// <summary>The file for a relative path ("" is index.html), or null.</summary>
    public (IFileInfo File, string ContentType)? Find(string? relativePath)
    {
        var path = string.IsNullOrEmpty(relativePath) ? "index.html" : relativePath;
        if (path.Contains("..", StringComparison.Ordinal) || path.Contains('\\') || path.StartsWith('/'))
        {
            return null;
        }
        var file = _files.GetFileInfo(path);
        if (!file.Exists || file.IsDirectory)
        {
            return null;
        }
        return (file, ContentTypes.TryGetContentType(file.Name, out var type) ? type : "application/octet-stream");
    }
}
