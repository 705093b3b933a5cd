using System.Reflection;

namespace SnipcartGateway.Tests.Infrastructure;

/// <summary>
/// The mutation run (scripts/mutation.sh) keeps only the in-process tests, with the filter <c>Host!=Functions</c>. A
/// class that shares the stack under the Functions host but lacks the trait is run there anyway: it fails wherever
/// <c>../shared</c> is not beside the clone (a worktree), and Stryker then leaves its tests out of the killing.
/// </summary>
public sealed class HostTraitTests
{
    [Fact]
    public void Every_class_in_the_functions_host_collection_carries_the_host_trait()
    {
        var untagged = typeof(HostTraitTests).Assembly.GetTypes()
            .Where(type => Attributes<CollectionAttribute>(type).Any(args => Equals(args[0], GatewayStackCollection.Name)))
            .Where(type => !Attributes<TraitAttribute>(type).Any(args => Equals(args[0], "Host") && Equals(args[1], "Functions")))
            .Select(type => type.FullName)
            .ToList();

        Assert.Empty(untagged);
    }

    // xUnit's attributes keep their arguments to themselves: read them as constructed.
    private static IEnumerable<object?[]> Attributes<TAttribute>(Type type) =>
        type.GetCustomAttributesData()
            .Where(data => data.AttributeType == typeof(TAttribute))
            .Select(data => data.ConstructorArguments.Select(argument => argument.Value).ToArray());
}
