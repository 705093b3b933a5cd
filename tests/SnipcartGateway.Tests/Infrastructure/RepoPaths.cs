namespace SnipcartGateway.Tests.Infrastructure;

/// <summary>Finds the repository root from the test binaries (where SnipcartGateway.slnx sits).</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SnipcartGateway.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Could not find the repository root (SnipcartGateway.slnx) above " + AppContext.BaseDirectory);
    }
}
