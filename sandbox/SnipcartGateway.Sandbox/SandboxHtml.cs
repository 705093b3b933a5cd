using System.Globalization;
using System.Text.Encodings.Web;

namespace SnipcartGateway.Sandbox;

/// <summary>Server-rendered pages: every dynamic string goes through <see cref="E"/>.</summary>
internal static class SandboxHtml
{
    public static string E(string? value) => HtmlEncoder.Default.Encode(value ?? "");

    public static string Money(decimal amount, string currency) =>
        E($"{amount.ToString("0.###", CultureInfo.InvariantCulture)} {currency.ToUpperInvariant()}");

    public static IResult Page(string title, string body, int statusCode = 200, int? refreshSeconds = null) =>
        Results.Content($"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex">
            {(refreshSeconds is { } s ? $"<meta http-equiv=\"refresh\" content=\"{s}\">" : "")}
            <title>{E(title)}</title>
            <link rel="stylesheet" href="/store.css">
            </head>
            <body>
            {body}
            </body>
            </html>
            """, "text/html; charset=utf-8", statusCode: statusCode);
}
