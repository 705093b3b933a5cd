using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Infra;

/// <summary>
/// infra/main.bicep compiles and lints without a single diagnostic, and the compiled ARM template has the shape
/// the gateway needs: Flex Consumption, dotnet-isolated 10.0, keyless storage, an RBAC vault, one user-assigned
/// identity with its five roles, and Application Insights wired to the app with Entra auth.
/// </summary>
public sealed partial class BicepTemplateTests(BicepTemplateTests.Compiled compiled) : IClassFixture<BicepTemplateTests.Compiled>
{
    private static readonly string Template = RepoPaths.Combine("infra", "main.bicep");

    public sealed class Compiled : IAsyncLifetime
    {
        public BicepCli.Result Build { get; private set; } = null!;
        public JsonObject Arm { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Build = await BicepCli.RunAsync("build", Template, "--stdout");
            Arm = Build.ExitCode == 0 ? JsonNode.Parse(Build.StdOut)!.AsObject() : new JsonObject();
        }

        public Task DisposeAsync() => Task.CompletedTask;
    }

    private static readonly Dictionary<string, string> ExpectedRoles = new()
    {
        ["b7e6dc6d-f1e8-4753-8033-0f276bb0955b"] = "Microsoft.Storage/storageAccounts", // Storage Blob Data Owner
        ["974c5e8b-45b9-4653-ba55-5f855dd0fb88"] = "Microsoft.Storage/storageAccounts", // Storage Queue Data Contributor
        ["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"] = "Microsoft.Storage/storageAccounts", // Storage Table Data Contributor
        ["4633458b-17de-408a-b874-0445c86b69e6"] = "Microsoft.KeyVault/vaults", // Key Vault Secrets User
        ["3913510d-42f4-4e42-8a64-420c390055eb"] = "Microsoft.Insights/components", // Monitoring Metrics Publisher
    };

    [Fact]
    public void Build_succeeds_without_warnings()
    {
        Assert.True(compiled.Build.ExitCode == 0, compiled.Build.StdErr);
        Assert.Empty(compiled.Build.Diagnostics);
    }

    [Fact]
    public async Task Lint_reports_nothing()
    {
        var lint = await BicepCli.RunAsync("lint", Template);

        Assert.True(lint.ExitCode == 0, lint.StdErr);
        Assert.Empty(lint.Diagnostics);
    }

    [Fact]
    public async Task Lint_does_report_a_warning_so_an_empty_report_means_something()
    {
        var dir = Directory.CreateTempSubdirectory("bicep-lint-");
        try
        {
            var file = Path.Combine(dir.FullName, "bad.bicep");
            await File.WriteAllTextAsync(file, "param unused string\n");

            var lint = await BicepCli.RunAsync("lint", file);

            Assert.Contains(lint.Diagnostics, d => d.Contains("no-unused-params"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_plan_is_Flex_Consumption_on_Linux()
    {
        var plan = Assert.Single(Resources("Microsoft.Web/serverfarms"));

        Assert.Equal("FC1", (string?)plan["sku"]?["name"]);
        Assert.Equal("FlexConsumption", (string?)plan["sku"]?["tier"]);
        Assert.True((bool?)plan["properties"]?["reserved"]);
    }

    [Fact]
    public void The_app_runs_dotnet_isolated_10_with_the_identity_and_deploys_through_it()
    {
        var app = App();
        var config = app["properties"]!["functionAppConfig"]!;

        Assert.Equal("functionapp,linux", (string?)app["kind"]);
        Assert.Contains("FlexConsumption", Text(Resources("Microsoft.Web/serverfarms").Single())); // the plan it sits on
        Assert.Contains("Microsoft.Web/serverfarms", (string?)app["properties"]!["serverFarmId"]);
        Assert.Equal("dotnet-isolated", (string?)config["runtime"]?["name"]);
        Assert.Equal("10.0", (string?)config["runtime"]?["version"]);
        Assert.Equal("UserAssigned", (string?)app["identity"]?["type"]);
        Assert.Contains("Microsoft.ManagedIdentity/userAssignedIdentities", Text(app["identity"]!["userAssignedIdentities"]!));
        var deployment = config["deployment"]!["storage"]!;
        Assert.Equal("blobContainer", (string?)deployment["type"]);
        Assert.Equal("UserAssignedIdentity", (string?)deployment["authentication"]?["type"]);
        Assert.Contains("Microsoft.ManagedIdentity/userAssignedIdentities", (string?)deployment["authentication"]?["userAssignedIdentityResourceId"]);
        Assert.Contains("Microsoft.ManagedIdentity/userAssignedIdentities", (string?)app["properties"]!["keyVaultReferenceIdentity"]);
    }

    [Fact]
    public void App_settings_use_the_identity_everywhere_and_leave_the_runtime_to_Flex()
    {
        var settings = AppSettings();

        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", settings.Keys); // Flex takes it from functionAppConfig
        Assert.DoesNotContain("AzureWebJobsStorage", settings.Keys); // no connection string (it would carry a key)
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        foreach (var clientId in new[] { "AzureWebJobsStorage__clientId", "KeyVault__ClientId", "Storage__ClientId" })
        {
            Assert.Matches(@"userAssignedIdentities.*\.clientId", settings[clientId]);
        }
        Assert.Contains("primaryEndpoints.blob", settings["AzureWebJobsStorage__blobServiceUri"]);
        Assert.Contains("primaryEndpoints.queue", settings["AzureWebJobsStorage__queueServiceUri"]);
        Assert.Contains("primaryEndpoints.table", settings["AzureWebJobsStorage__tableServiceUri"]);
        Assert.Contains("primaryEndpoints.table", settings["Storage__TableServiceUri"]);
        Assert.Matches(@"Microsoft\.KeyVault/vaults.*\.vaultUri", settings["KeyVault__Uri"]);
    }

    [Fact]
    public void Application_Insights_is_wired_to_the_app_with_Entra_auth()
    {
        var settings = AppSettings();
        var insights = Assert.Single(Resources("Microsoft.Insights/components"));
        var workspace = Assert.Single(Resources("Microsoft.OperationalInsights/workspaces"));

        Assert.Matches(@"reference\(resourceId\('Microsoft\.Insights/components'.*\)\.ConnectionString\]$", settings["APPLICATIONINSIGHTS_CONNECTION_STRING"]);
        Assert.Matches(@"ClientId=\{0\};Authorization=AAD.*userAssignedIdentities.*\.clientId", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        Assert.True((bool?)insights["properties"]?["DisableLocalAuth"]);
        Assert.Contains("Microsoft.OperationalInsights/workspaces", (string?)insights["properties"]?["WorkspaceResourceId"]);
        Assert.NotNull(workspace["name"]);
    }

    [Fact]
    public void Storage_refuses_shared_keys()
    {
        var storage = Assert.Single(Resources("Microsoft.Storage/storageAccounts"));

        Assert.False((bool?)storage["properties"]?["allowSharedKeyAccess"]);
        Assert.False((bool?)storage["properties"]?["allowBlobPublicAccess"]);
    }

    [Fact]
    public void Key_Vault_uses_RBAC()
    {
        var vault = Assert.Single(Resources("Microsoft.KeyVault/vaults"));

        Assert.True((bool?)vault["properties"]?["enableRbacAuthorization"]);
        Assert.Null(vault["properties"]?["accessPolicies"]);
    }

    [Fact]
    public void One_user_assigned_identity_holds_every_role_on_the_right_scope()
    {
        Assert.Single(Resources("Microsoft.ManagedIdentity/userAssignedIdentities"));
        var assignments = Resources("Microsoft.Authorization/roleAssignments").ToList();

        var granted = assignments.ToDictionary(a => RoleId(a), a => (string?)a["scope"] ?? "");

        Assert.Equal(ExpectedRoles.Keys.Order(), granted.Keys.Order());
        foreach (var (role, scopeType) in ExpectedRoles)
        {
            Assert.Contains(scopeType, granted[role]);
        }
        Assert.All(assignments, a =>
        {
            Assert.Matches(@"userAssignedIdentities.*\.principalId", (string?)a["properties"]?["principalId"]);
            Assert.Equal("ServicePrincipal", (string?)a["properties"]?["principalType"]);
        });
    }

    [Fact]
    public void The_app_waits_for_its_role_assignments()
    {
        var dependsOn = Text(App()["dependsOn"]!);

        Assert.Equal(ExpectedRoles.Count, Regex.Matches(dependsOn, "Microsoft.Authorization/roleAssignments").Count);
    }

    [Fact]
    public void The_merchant_alerts_are_optional_and_mail_the_action_groups_address()
    {
        var parameters = compiled.Arm["parameters"]!;
        Assert.Equal("bool", (string?)parameters["alertsEnabled"]?["type"]);
        Assert.False((bool?)parameters["alertsEnabled"]?["defaultValue"]);
        Assert.Equal("string", (string?)parameters["alertEmail"]?["type"]);

        var group = Assert.Single(Resources("Microsoft.Insights/actionGroups"));
        Assert.Equal("[parameters('alertsEnabled')]", (string?)group["condition"]);
        Assert.Equal("[parameters('alertEmail')]", (string?)group["properties"]?["emailReceivers"]?[0]?["emailAddress"]);

        var rules = Resources("Microsoft.Insights/scheduledQueryRules").ToList();
        Assert.Equal(2, rules.Count);
        Assert.All(rules, rule =>
        {
            Assert.Equal("[parameters('alertsEnabled')]", (string?)rule["condition"]);
            Assert.Contains("Microsoft.Insights/components", Text(rule["properties"]!["scopes"]!));
            Assert.Contains("Microsoft.Insights/actionGroups", Text(rule["properties"]!["actions"]!));
        });
    }

    [Fact]
    public void One_alert_counts_attempts_needing_attention_by_reason_and_one_watches_the_oldest_unsettled()
    {
        var criteria = Resources("Microsoft.Insights/scheduledQueryRules")
            .Select(rule => rule["properties"]!["criteria"]!["allOf"]![0]!)
            .ToList();

        var attention = Assert.Single(criteria, c => ((string)c["query"]!).Contains("\"payments.attention\""));
        Assert.Equal("reason", (string?)attention["dimensions"]?[0]?["name"]);
        Assert.Equal("GreaterThan", (string?)attention["operator"]);
        Assert.Equal(0, (int?)attention["threshold"]);

        var oldest = Assert.Single(criteria, c => ((string)c["query"]!).Contains("\"payments.unsettled.oldest_age\""));
        Assert.Equal("GreaterThan", (string?)oldest["operator"]);
        Assert.Contains("oldestUnsettledAlertMinutes", (string?)oldest["threshold"]);
    }

    [Fact]
    public void The_hosts_home_page_is_off()
    {
        Assert.Equal("true", AppSettings()["AzureWebJobsDisableHomepage"]);
    }

    [Fact]
    public void The_template_uses_no_registry_modules()
    {
        Assert.DoesNotContain("br/public:", File.ReadAllText(Template));
        Assert.DoesNotContain("br:", File.ReadAllText(Template));
    }

    private JsonObject App() => Assert.Single(Resources("Microsoft.Web/sites")).AsObject();

    private Dictionary<string, string> AppSettings() =>
        App()["properties"]!["siteConfig"]!["appSettings"]!.AsArray()
            .ToDictionary(s => (string)s!["name"]!, s => (string)s!["value"]!);

    /// <summary>Resources of one type, from a resource array (language version 1) or a symbolic-name object (2.0).</summary>
    private IEnumerable<JsonNode> Resources(string type)
    {
        Assert.True(compiled.Build.ExitCode == 0, compiled.Build.StdErr);
        var resources = compiled.Arm["resources"]!;
        var all = resources is JsonArray array ? array.Select(r => r!) : resources.AsObject().Select(p => p.Value!);
        return all.Where(r => string.Equals((string?)r["type"], type, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The role GUID of an assignment: a literal, or a member of a template variable (roles.x).</summary>
    private string RoleId(JsonNode assignment)
    {
        var expression = (string)assignment["properties"]!["roleDefinitionId"]!;
        Assert.Contains("Microsoft.Authorization/roleDefinitions", expression);
        var literal = Guid().Match(expression);
        if (literal.Success)
        {
            return literal.Value;
        }
        var variable = VariableMember().Match(expression);
        Assert.True(variable.Success, "Unrecognised roleDefinitionId: " + expression);
        return (string)compiled.Arm["variables"]![variable.Groups[1].Value]![variable.Groups[2].Value]!;
    }

    private static string Text(JsonNode node) => node.ToJsonString();

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Guid();

    [GeneratedRegex(@"variables\('(\w+)'\)\.(\w+)")]
    private static partial Regex VariableMember();
}
