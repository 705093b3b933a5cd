using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;

namespace SnipcartGateway.Storage.Tables;

/// <summary>
/// Signs each request with Shared Key Lite for the Table service. A per-retry policy, so every retry gets a fresh
/// <c>x-ms-date</c> and signature (the service refuses dates more than 15 minutes off).
/// </summary>
/// <remarks>
/// String-to-sign: <c>x-ms-date + "\n" + "/" + account + uri.AbsolutePath</c>, plus <c>?comp=value</c> when the
/// request has a <c>comp</c> query parameter; no other query parameter is signed. For path-style endpoints such as
/// Azurite's (<c>http://127.0.0.1:10002/devstoreaccount1/...</c>) the account therefore appears twice.
/// </remarks>
public sealed class TableSharedKeyLitePolicy : HttpPipelineSynchronousPolicy
{
    public const string Scheme = "SharedKeyLite";

    private readonly TableSharedKeyCredential _credential;
    private readonly TimeProvider _time;

    public TableSharedKeyLitePolicy(TableSharedKeyCredential credential, TimeProvider? time = null)
    {
        _credential = credential ?? throw new ArgumentNullException(nameof(credential));
        _time = time ?? TimeProvider.System;
    }

    public override void OnSendingRequest(HttpMessage message)
    {
        var date = _time.GetUtcNow().ToString("r", CultureInfo.InvariantCulture);
        message.Request.Headers.SetValue("x-ms-date", date);
        var signature = _credential.ComputeSignature(BuildStringToSign(date, _credential.AccountName, message.Request.Uri.ToUri()));
        message.Request.Headers.SetValue(HttpHeader.Names.Authorization, $"{Scheme} {_credential.AccountName}:{signature}");
    }

    /// <summary>The exact text that is signed; public so tests and debugging can compare with the server's.</summary>
    public static string BuildStringToSign(string xMsDate, string accountName, Uri uri)
    {
        var resource = "/" + accountName + uri.AbsolutePath;
        var comp = FindComp(uri.Query);
        if (comp is not null)
        {
            resource += "?comp=" + comp;
        }
        return xMsDate + "\n" + resource;
    }

    private static string? FindComp(string query)
    {
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var name = eq < 0 ? pair : pair[..eq];
            if (string.Equals(name, "comp", StringComparison.OrdinalIgnoreCase))
            {
                return Uri.UnescapeDataString(eq < 0 ? "" : pair[(eq + 1)..]);
            }
        }
        return null;
    }
}
