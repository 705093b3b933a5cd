using Microsoft.AspNetCore.Mvc.Testing;

namespace SnipcartGateway.Tests.Infrastructure;

/// <summary>
/// Starts a WebApplicationFactory on real Kestrel. .NET 10's UseKestrel(port) sets the port after the app's
/// own Main has built the host, and now and then Main has already started Kestrel by then: the factory throws
/// "IServerAddressesFeature.Addresses cannot be modified after the server has started" (or reads a disposed
/// service provider). Seen about once per full run; a fresh factory on the same port starts normally.
/// </summary>
public static class KestrelFactory
{
    public static T Start<T>(Func<T> create) where T : IDisposable
    {
        for (var attempt = 1; ; attempt++)
        {
            var factory = create();
            try
            {
                switch (factory)
                {
                    case WebApplicationFactory<SnipcartGateway.Sandbox.Program> f: f.StartServer(); break;
                    default: throw new ArgumentException($"{typeof(T)} is not a known application factory.");
                }
                return factory;
            }
            catch (Exception ex) when (attempt < 3 && IsStartRace(ex))
            {
                factory.Dispose();
            }
        }
    }

    private static bool IsStartRace(Exception ex) =>
        ex is InvalidOperationException { Message: var m } && m.Contains("cannot be modified after the server has started", StringComparison.Ordinal)
        || ex is ObjectDisposedException;
}
