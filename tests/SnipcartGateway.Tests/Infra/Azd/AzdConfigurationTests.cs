using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using SnipcartGateway.Tests.Infrastructure;
using YamlDotNet.Serialization;

namespace SnipcartGateway.Tests.Infra;

/// <summary>
/// <c>azure.yaml</c> at the repository root is what the Azure Developer CLI needs for <c>azd up</c>, as the azd
/// Functions templates have it: valid against azd's schema (the part vendored in <c>Infra/Azd</c>), one service that
/// deploys <c>functions/</c> as a function app, Bicep from <c>infra/main</c>; and the template gives azd what it reads:
/// the app tagged with the service's name, and the upper-case outputs the service's <c>resourceName</c> names.
/// </summary>
public sealed class AzdConfigurationTests(BicepTemplateTests.Compiled compiled) : IClassFixture<BicepTemplateTests.Compiled>
{
    private static JsonNode AzureYaml()
    {
        var yaml = new DeserializerBuilder().Build().Deserialize<object>(File.ReadAllText(RepoPaths.Combine("azure.yaml")));
        // YAML scalars come back as strings; azd's schema has one boolean (remoteBuild), unused here.
        return JsonNode.Parse(JsonSerializer.Serialize(yaml))!;
    }

    // Loaded once: the schema registers itself under its $id.
    private static readonly JsonSchema Schema = JsonSchema.FromFile(Path.Combine(AppContext.BaseDirectory, "Infra", "Azd", "azure.yaml.schema.json"));

    private static JsonElement Element(JsonNode node) => JsonDocument.Parse(node.ToJsonString()).RootElement;

    [Fact]
    public void Azure_yaml_is_valid_against_azds_schema()
    {
        var schema = Schema;

        var result = schema.Evaluate(Element(AzureYaml()), new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.True(result.IsValid, string.Join('\n', (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
    }

    [Fact]
    public void The_schema_check_refuses_what_azd_refuses()
    {
        var schema = Schema;

        Assert.False(schema.Evaluate(JsonDocument.Parse("""{"name":"Snipcart_Gateway","services":{"gateway":{"host":"function"}}}""").RootElement).IsValid);
        Assert.False(schema.Evaluate(JsonDocument.Parse("""{"name":"snipcart-gateway","services":{"gateway":{"project":"./functions/"}}}""").RootElement).IsValid);
        Assert.False(schema.Evaluate(JsonDocument.Parse("""{"services":{"gateway":{"host":"function"}}}""").RootElement).IsValid);
    }

    [Fact]
    public void One_dotnet_function_service_is_deployed_from_the_functions_project_with_bicep_from_infra()
    {
        var config = AzureYaml();
        var services = config["services"]!.AsObject();
        var (name, service) = Assert.Single(services);

        Assert.Equal("gateway", name);
        Assert.Equal("function", (string?)service!["host"]);
        Assert.Equal("dotnet", (string?)service["language"]);
        Assert.True(File.Exists(RepoPaths.Combine(((string)service["project"]!).Trim('.', '/'), "SnipcartGateway.Functions.csproj")));
        Assert.Equal("bicep", (string?)config["infra"]?["provider"]);
        Assert.True(File.Exists(RepoPaths.Combine((string)config["infra"]!["path"]!, (string)config["infra"]!["module"]! + ".bicep")));
        Assert.True(File.Exists(RepoPaths.Combine((string)config["infra"]!["path"]!, (string)config["infra"]!["module"]! + ".parameters.json")));
    }

    [Fact]
    public void The_template_outputs_what_azd_reads_and_tags_the_app_with_the_service_name()
    {
        Assert.True(compiled.Build.ExitCode == 0, compiled.Build.StdErr);
        var outputs = compiled.Arm["outputs"]!.AsObject();
        foreach (var name in new[] { "AZURE_LOCATION", "AZURE_TENANT_ID", "AZURE_FUNCTION_APP_NAME" })
        {
            Assert.True(outputs.ContainsKey(name), $"The template has no output {name}.");
        }
        // The service's resourceName is an output of the template, so azd finds the app it provisioned.
        var resourceName = (string)AzureYaml()["services"]!["gateway"]!["resourceName"]!;
        Assert.Equal("${AZURE_FUNCTION_APP_NAME}", resourceName);

        var resources = compiled.Arm["resources"]!;
        var all = resources is JsonArray array ? array.Select(r => r!) : resources.AsObject().Select(p => p.Value!);
        var app = Assert.Single(all, r => (string?)r["type"] == "Microsoft.Web/sites");
        Assert.Contains("'azd-service-name', 'gateway'", app["tags"]!.ToJsonString().Replace("\\u0027", "'", StringComparison.Ordinal));
    }

    [Fact]
    public void The_parameters_file_maps_azds_environment_to_the_templates_parameters()
    {
        var parameters = JsonNode.Parse(File.ReadAllText(RepoPaths.Combine("infra", "main.parameters.json")))!["parameters"]!.AsObject();
        var declared = compiled.Arm["parameters"]!.AsObject();

        Assert.Equal("${AZURE_LOCATION}", (string?)parameters["location"]?["value"]);
        Assert.Equal("${AZURE_ENV_NAME}", (string?)parameters["environmentName"]?["value"]);
        Assert.All(parameters, p => Assert.True(declared.ContainsKey(p.Key), $"main.parameters.json sets {p.Key}, which main.bicep does not declare."));
    }
}
