using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure;
using Azure.Core;

namespace SnipcartGateway.Storage.Tables;

/// <summary>
/// One table. Each operation builds its request in a <c>Create*Request</c> method and switches on the status,
/// as the Azure SDK's generated clients do. Obtain it from <see cref="TableServiceClient.GetTableClient"/>.
/// </summary>
public sealed partial class TableClient : ITableClient
{
    private const string ContinuationPartitionKeyHeader = "x-ms-continuation-NextPartitionKey";
    private const string ContinuationRowKeyHeader = "x-ms-continuation-NextRowKey";

    private readonly TableRestContext _context;

    internal TableClient(TableRestContext context, string tableName)
    {
        if (tableName is null || !TableNamePattern().IsMatch(tableName))
        {
            throw new ArgumentException(
                $"'{tableName}' is not a valid table name: 3-63 letters and digits, starting with a letter.", nameof(tableName));
        }
        _context = context;
        Name = tableName;
    }

    public string Name { get; }

    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = CreateCreateTableRequest();
        await _context.Pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var response = message.Response;
        switch (response.Status)
        {
            case 201 or 204:
                return;
            // 409 is also TableBeingDeleted, which is a real failure: only TableAlreadyExists means "done".
            case 409 when TableRestContext.ErrorCode(response) is TableErrors.TableAlreadyExists or null:
                return;
            default:
                throw _context.Failure(response);
        }
    }

    public async Task<ETag> AddEntityAsync(TableEntity entity, CancellationToken cancellationToken = default)
    {
        using var message = CreateInsertEntityRequest(entity);
        await _context.Pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return message.Response.Status is 201 or 204 ? NewETag(message.Response) : throw _context.Failure(message.Response);
    }

    public async Task<TableEntity?> GetEntityIfExistsAsync(string partitionKey, string rowKey, CancellationToken cancellationToken = default)
    {
        using var message = CreateGetEntityRequest(partitionKey, rowKey);
        await _context.Pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var response = message.Response;
        switch (response.Status)
        {
            case 200:
                using (var json = await JsonDocument.ParseAsync(response.ContentStream!, cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    var entity = TableEntityJson.Read(json.RootElement);
                    if (response.Headers.ETag is { } etag)
                    {
                        entity.ETag = etag;
                    }
                    return entity;
                }
            // A missing entity is an answer; a missing table is a misconfiguration and must surface.
            case 404 when TableRestContext.ErrorCode(response) != TableErrors.TableNotFound:
                return null;
            default:
                throw _context.Failure(response);
        }
    }

    public async Task<ETag> UpdateEntityAsync(TableEntity entity, ETag ifMatch, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default)
    {
        if (ifMatch == default)
        {
            // Without If-Match the same request is an upsert; make "unconditional" an explicit choice.
            throw new ArgumentException("An ETag is required; pass ETag.All to update unconditionally.", nameof(ifMatch));
        }
        using var message = CreateUpdateEntityRequest(entity, ifMatch, mode);
        await _context.Pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return message.Response.Status == 204 ? NewETag(message.Response) : throw _context.Failure(message.Response);
    }

    public async Task<ETag> UpsertEntityAsync(TableEntity entity, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default)
    {
        using var message = CreateUpdateEntityRequest(entity, ifMatch: null, mode);
        await _context.Pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return message.Response.Status == 204 ? NewETag(message.Response) : throw _context.Failure(message.Response);
    }

    public async Task DeleteEntityAsync(string partitionKey, string rowKey, ETag ifMatch = default, CancellationToken cancellationToken = default)
    {
        using var message = CreateDeleteEntityRequest(partitionKey, rowKey, ifMatch == default ? ETag.All : ifMatch);
        await _context.Pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var response = message.Response;
        switch (response.Status)
        {
            case 204:
            case 404 when TableRestContext.ErrorCode(response) != TableErrors.TableNotFound:
                return;
            default:
                throw _context.Failure(response);
        }
    }

    public async IAsyncEnumerable<TableEntity> QueryAsync(
        string? filter = null,
        int? maxPerPage = null,
        IEnumerable<string>? select = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (maxPerPage is < 1 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(maxPerPage), maxPerPage, "A page holds 1 to 1000 entities.");
        }
        var selectText = select is null ? null : string.Join(",", select);
        string? nextPartitionKey = null;
        string? nextRowKey = null;
        do
        {
            var page = new List<TableEntity>();
            using (var message = CreateQueryEntitiesRequest(filter, maxPerPage, selectText, nextPartitionKey, nextRowKey))
            {
                await _context.Pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
                var response = message.Response;
                if (response.Status != 200)
                {
                    throw _context.Failure(response);
                }
                using var json = await JsonDocument.ParseAsync(response.ContentStream!, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (json.RootElement.TryGetProperty("value", out var values))
                {
                    foreach (var item in values.EnumerateArray())
                    {
                        page.Add(TableEntityJson.Read(item));
                    }
                }
                // A page may be empty yet carry a continuation (the 5-second or partition boundary): keep going.
                nextPartitionKey = response.Headers.TryGetValue(ContinuationPartitionKeyHeader, out var pk) ? pk : null;
                nextRowKey = response.Headers.TryGetValue(ContinuationRowKeyHeader, out var rk) ? rk : null;
            }
            foreach (var entity in page)
            {
                yield return entity;
            }
        }
        while (nextPartitionKey is not null);
    }

    internal HttpMessage CreateCreateTableRequest()
    {
        var message = _context.CreateMessage(RequestMethod.Post, "Tables", TableRestContext.Classifier201204409);
        message.Request.Headers.Add("Prefer", "return-no-content");
        TableRestContext.SetJsonBody(message.Request, JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["TableName"] = Name }));
        return message;
    }

    internal HttpMessage CreateInsertEntityRequest(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        TableKeys.Validate(entity.PartitionKey, TableEntity.PartitionKeyName);
        TableKeys.Validate(entity.RowKey, TableEntity.RowKeyName);
        var message = _context.CreateMessage(RequestMethod.Post, Name, TableRestContext.Classifier201204);
        message.Request.Headers.Add("Prefer", "return-no-content");
        TableRestContext.SetJsonBody(message.Request, TableEntityJson.Serialize(entity));
        return message;
    }

    internal HttpMessage CreateGetEntityRequest(string partitionKey, string rowKey) =>
        _context.CreateMessage(RequestMethod.Get, Name + TableKeys.EntityPath(partitionKey, rowKey), TableRestContext.Classifier200404);

    /// <param name="ifMatch">null: an upsert (insert-or-replace / insert-or-merge).</param>
    internal HttpMessage CreateUpdateEntityRequest(TableEntity entity, ETag? ifMatch, TableUpdateMode mode)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var method = mode switch
        {
            TableUpdateMode.Replace => RequestMethod.Put,
            // PATCH, as the Azure SDK sends: the service and Azurite treat it as MERGE.
            TableUpdateMode.Merge => RequestMethod.Patch,
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
        };
        var message = _context.CreateMessage(method, Name + TableKeys.EntityPath(entity.PartitionKey, entity.RowKey), TableRestContext.Classifier204);
        if (ifMatch is { } etag)
        {
            message.Request.Headers.Add(HttpHeader.Names.IfMatch, etag.ToString("H"));
        }
        TableRestContext.SetJsonBody(message.Request, TableEntityJson.Serialize(entity));
        return message;
    }

    internal HttpMessage CreateDeleteEntityRequest(string partitionKey, string rowKey, ETag ifMatch)
    {
        var message = _context.CreateMessage(RequestMethod.Delete, Name + TableKeys.EntityPath(partitionKey, rowKey), TableRestContext.Classifier204404);
        message.Request.Headers.Add(HttpHeader.Names.IfMatch, ifMatch.ToString("H"));
        return message;
    }

    internal HttpMessage CreateQueryEntitiesRequest(string? filter, int? top, string? select, string? nextPartitionKey, string? nextRowKey)
    {
        var message = _context.CreateMessage(RequestMethod.Get, Name + "()", TableRestContext.Classifier200);
        var uri = message.Request.Uri;
        if (!string.IsNullOrEmpty(filter))
        {
            uri.AppendQuery("$filter", filter, true);
        }
        if (top is { } t)
        {
            uri.AppendQuery("$top", t.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        if (!string.IsNullOrEmpty(select))
        {
            uri.AppendQuery("$select", select, true);
        }
        if (nextPartitionKey is not null)
        {
            uri.AppendQuery("NextPartitionKey", nextPartitionKey, true);
        }
        if (nextRowKey is not null)
        {
            uri.AppendQuery("NextRowKey", nextRowKey, true);
        }
        return message;
    }

    private static ETag NewETag(Response response) => response.Headers.ETag ?? default;

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    private static partial Regex TableNamePattern();
}
