namespace SnipcartGateway.Hosting;

/// <summary>
/// `SnipcartGateway --write-function-json &lt;dir&gt;`: builds the app without starting the server, writes the
/// function.json folders for its endpoints and exits. scripts/write-function-json.sh runs it.
/// </summary>
public static class FunctionJsonCommand
{
    public const string Option = "--write-function-json";

    /// <summary>The output directory when the option is present; <paramref name="remainingArgs"/> are the others.</summary>
    public static bool TryParse(string[] args, out string directory, out string[] remainingArgs)
    {
        var index = Array.IndexOf(args, Option);
        if (index < 0)
        {
            directory = "";
            remainingArgs = args;
            return false;
        }
        if (index + 1 >= args.Length)
        {
            throw new ArgumentException($"{Option} needs a directory.");
        }
        directory = Path.GetFullPath(args[index + 1]);
        remainingArgs = [.. args[..index], .. args[(index + 2)..]];
        return true;
    }

    public static void Run(WebApplication app, string directory)
    {
        // Endpoints mapped on a WebApplication live in its own data sources until the server starts.
        var endpoints = ((IEndpointRouteBuilder)app).DataSources.SelectMany(source => source.Endpoints);
        var functions = FunctionJsonWriter.Describe(endpoints);
        FunctionJsonWriter.Write(directory, functions);
        Console.WriteLine($"Wrote {functions.Count} function.json folder(s) to {directory}");
    }
}
