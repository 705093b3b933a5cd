// snipcart-gateway on Azure: a Function App (isolated worker, .NET 10) on a Flex Consumption plan, a storage
// account with shared keys disabled (host storage, deployment package, payment tables), a Key Vault (RBAC) for
// secrets, Log Analytics + Application Insights (Entra auth only), and ONE user-assigned identity that reaches
// all of them. Plain resource blocks (no br/public modules) so it builds without a registry.
// Compiled and linted in CI: ./scripts/bicep.sh build|lint, tests/SnipcartGateway.Tests/Infra/BicepTemplateTests.cs.

@description('Prefix for resource names (lowercase letters and digits).')
@minLength(3)
@maxLength(11)
param namePrefix string = 'snipgw'

param location string = resourceGroup().location

@description('Public https URL of the gateway (Gateway__PublicBaseUrl); defaults to the Function App host name.')
param publicBaseUrl string = ''

@description('Instances kept warm for HTTP (0 = scale to zero, accept cold starts).')
@minValue(0)
param alwaysReadyInstances int = 1

@description('Upper bound of Flex instances.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('azd environment name (AZURE_ENV_NAME), kept as the azd-env-name tag; empty outside azd.')
param environmentName string = ''

@description('Create the merchant alerts (attempts needing attention, oldest unsettled attempt) and their action group.')
param alertsEnabled bool = false

@description('E-mail address the alerts are sent to (the action group); required when alertsEnabled is true.')
param alertEmail string = ''

@description('Alert when the oldest unsettled attempt is older than this many minutes.')
@minValue(5)
param oldestUnsettledAlertMinutes int = 120

var suffix = uniqueString(resourceGroup().id)
var tags = empty(environmentName) ? {} : { 'azd-env-name': environmentName }
var storageName = take('${namePrefix}${suffix}', 24)
var deploymentContainer = 'app-package'
var appName = '${namePrefix}-${suffix}'

// Built-in role definition ids (the same in every tenant).
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' // host leases/timers + deployment package
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // host (scale, internal queues)
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // the gateway's payment tables
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6' // secrets read at start-up / Key Vault references
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb' // telemetry to App Insights with Entra auth
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${namePrefix}-id-${suffix}'
  location: location
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageName
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false // identity only: the host, the deployment and the Table client all use Entra ID
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

// Flex deploys the app package into this container, reached with the identity (no SAS, no key).
resource packageContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainer
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: take('${namePrefix}-kv-${suffix}', 24)
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true // role assignments, not access policies
    enableSoftDelete: true
    softDeleteRetentionInDays: 30
    enablePurgeProtection: true
  }
}

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${namePrefix}-logs-${suffix}'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${namePrefix}-ai-${suffix}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    DisableLocalAuth: true // ingestion only with an Entra token (APPLICATIONINSIGHTS_AUTHENTICATION_STRING below)
  }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: '${namePrefix}-plan-${suffix}'
  location: location
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true } // Linux
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  // azd deploys the service named "gateway" in azure.yaml to the resource with this tag.
  tags: union(tags, { 'azd-service-name': 'gateway' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id // @Microsoft.KeyVault(...) app settings resolve with the identity
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${packageContainer.name}'
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identity.id }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: 2048
        maximumInstanceCount: maximumInstanceCount
        alwaysReady: alwaysReadyInstances > 0 ? [{ name: 'http', instanceCount: alwaysReadyInstances }] : []
      }
      // On Flex the runtime is set here; FUNCTIONS_WORKER_RUNTIME must not be an app setting.
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      appSettings: [
        // Host storage through the identity (no keys): blob for leases/timers, queue for scale.
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identity.properties.clientId }
        { name: 'AzureWebJobsStorage__blobServiceUri', value: storage.properties.primaryEndpoints.blob }
        { name: 'AzureWebJobsStorage__queueServiceUri', value: storage.properties.primaryEndpoints.queue }
        { name: 'AzureWebJobsStorage__tableServiceUri', value: storage.properties.primaryEndpoints.table }
        // The host's default home page (200 "Your Functions app is up and running") is no page of ours.
        { name: 'AzureWebJobsDisableHomepage', value: 'true' }
        // Telemetry: the connection string says where, the authentication string says who (Entra, the identity).
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identity.properties.clientId};Authorization=AAD' }
        // The gateway's own tables, with the same identity.
        { name: 'Storage__TableServiceUri', value: storage.properties.primaryEndpoints.table }
        { name: 'Storage__ClientId', value: identity.properties.clientId }
        { name: 'KeyVault__Uri', value: vault.properties.vaultUri }
        { name: 'KeyVault__ClientId', value: identity.properties.clientId }
        { name: 'Gateway__PublicBaseUrl', value: empty(publicBaseUrl) ? 'https://${appName}.azurewebsites.net' : publicBaseUrl }
        // Secrets: create them in the vault as Snipcart--SecretKeys--Live etc. (read at start-up through
        // KeyVault__Uri), or reference single ones here:
        //   { name: 'Snipcart__SecretKeys__Live', value: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=snipcart-live)' }
      ]
    }
  }
  // The host reaches storage, the vault and App Insights with the identity from its first start.
  dependsOn: [
    blobOwner
    queueContributor
    tableContributor
    secretsUser
    metricsPublisher
  ]
}

resource blobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, identity.id, roles.storageBlobDataOwner)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource queueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, identity.id, roles.storageQueueDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource tableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, identity.id, roles.storageTableDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, identity.id, roles.keyVaultSecretsUser)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: insights
  name: guid(insights.id, identity.id, roles.monitoringMetricsPublisher)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Merchant alerts (README, "Alerts"): optional, on the metrics the gateway exports to Application Insights.
resource alertGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (alertsEnabled) {
  name: '${namePrefix}-alerts-${suffix}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'gwalerts'
    enabled: true
    emailReceivers: [
      { name: 'merchant', emailAddress: alertEmail, useCommonAlertSchema: true }
    ]
  }
}

// Attempts flagged for a person (paid twice, amount mismatch, Snipcart refusing...), one alert per reason.
resource attentionAlert 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = if (alertsEnabled) {
  name: '${namePrefix}-attention-${suffix}'
  location: location
  tags: tags
  properties: {
    displayName: 'Payments need attention'
    description: 'Attempts flagged NeedsAttention in the last 15 minutes, by reason (metric payments.attention).'
    severity: 2
    enabled: true
    scopes: [insights.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: 'customMetrics | where name == "payments.attention" | extend reason = tostring(customDimensions["reason"]) | summarize Flagged = sum(valueSum) by reason'
          timeAggregation: 'Total'
          metricMeasureColumn: 'Flagged'
          dimensions: [{ name: 'reason', operator: 'Include', values: ['*'] }]
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    actions: { actionGroups: [alertGroup.id] }
  }
}

// A payment nobody could settle for too long (a provider down, Snipcart refusing, reconciliation stuck).
resource oldestUnsettledAlert 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = if (alertsEnabled) {
  name: '${namePrefix}-oldest-unsettled-${suffix}'
  location: location
  tags: tags
  properties: {
    displayName: 'Oldest unsettled payment'
    description: 'The oldest unsettled attempt is older than ${oldestUnsettledAlertMinutes} minutes (metric payments.unsettled.oldest_age, seconds).'
    severity: 2
    enabled: true
    scopes: [insights.id]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: 'customMetrics | where name == "payments.unsettled.oldest_age" | summarize OldestSeconds = max(valueMax)'
          timeAggregation: 'Maximum'
          metricMeasureColumn: 'OldestSeconds'
          operator: 'GreaterThan'
          threshold: oldestUnsettledAlertMinutes * 60
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    actions: { actionGroups: [alertGroup.id] }
  }
}

// What azd reads after provisioning (upper-case outputs become azd environment values).
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_FUNCTION_APP_NAME string = app.name
output AZURE_KEY_VAULT_NAME string = vault.name
output AZURE_KEY_VAULT_ENDPOINT string = vault.properties.vaultUri

output functionAppName string = app.name
output functionAppUrl string = 'https://${app.properties.defaultHostName}'
output keyVaultUri string = vault.properties.vaultUri
output tableServiceUri string = storage.properties.primaryEndpoints.table
output applicationInsightsName string = insights.name
